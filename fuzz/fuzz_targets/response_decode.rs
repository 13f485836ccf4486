//! Every response type the clients parse, decoded from arbitrary bytes: an error or a value, never a
//! panic; a value re-serialises and decodes again.
#![no_main]

use groq_types::sdk::raw::parse_json;
use groq_types::*;
use libfuzzer_sys::fuzz_target;

macro_rules! decode_all {
    ($data:expr; $($ty:ty),+ $(,)?) => {$(
        if let Ok(value) = parse_json::<$ty>($data) {
            let json = serde_json::to_vec(&value).expect("a decoded value serialises");
            // Floats may round-trip to a neighbour, so only decodability is checked.
            assert!(parse_json::<$ty>(&json).is_ok(), "{} does not round-trip", stringify!($ty));
        }
    )+};
}

fuzz_target!(|data: &[u8]| {
    decode_all!(data;
        ChatCompletion,
        ChatCompletionChunk,
        ListModelsResponse,
        Model,
        DeleteModelResponse,
        CreateEmbeddingResponse,
        Batch,
        ListBatchesResponse,
        File,
        ListFilesResponse,
        DeleteFileResponse,
        ListFineTuningsResponse,
        ReadFineTuningResponse,
        DeleteFineTuningResponse,
        CreateTranscriptionResponseJson,
        CreateTranscriptionResponseVerboseJson,
        CreateTranslationResponseJson,
        CreateTranslationResponseVerboseJson,
        RerankingResponse,
        CreateResponseResponse,
    );
    if let Ok(response) = parse_json::<CreateEmbeddingResponse>(data) {
        let _ = response.vectors();
    }
});
