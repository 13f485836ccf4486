//! How the generated types decode their lists: at the length the JSON has, not at serde's first step of
//! four.
//!
//! serde's own `Vec<T>` decoder asks the format how long the list is; JSON cannot say, so it starts empty
//! and grows at the first element to room for four. Most lists in a response hold one element (a chunk's
//! `choices`, a completion's `choices`, a tool call's chunk), so three quarters of the room is kept for
//! nothing: a stream chunk carried a 1 088-byte allocation for one 272-byte choice. Here the room is taken
//! after the first element, for one, and grows as a `Vec` does from there (four, then doubling); a list of
//! any length costs at most one more reallocation than before, and an empty list none.
//!
//! The generator (`groq-types/build/layout.rs`) puts these on every `Vec<T>` and `Option<Vec<T>>` field
//! through `#[serde(deserialize_with = …)]`; the types themselves are unchanged.

use serde::de::{Deserialize, Deserializer, SeqAccess, Visitor};
use std::fmt;
use std::marker::PhantomData;

/// The most elements reserved from a format's announced length before any is read, as serde bounds it
/// (1 MiB), so a hostile length cannot reserve memory the data never fills.
const MAX_PREALLOCATED_BYTES: usize = 1024 * 1024;

/// Decodes a list, reserving room for the elements it holds.
pub(crate) fn vec<'de, D, T>(deserializer: D) -> Result<Vec<T>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    deserializer.deserialize_seq(ListVisitor(PhantomData))
}

/// Decodes a list that may be `null`: `null` is `None`, a list as [`vec`].
pub(crate) fn option<'de, D, T>(deserializer: D) -> Result<Option<Vec<T>>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    deserializer.deserialize_option(OptionVisitor(PhantomData))
}

/// Decodes a list the server may leave out: `null` is read as a list left out, empty.
pub(crate) fn vec_or_null<'de, D, T>(deserializer: D) -> Result<Vec<T>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    option(deserializer).map(Option::unwrap_or_default)
}

struct ListVisitor<T>(PhantomData<T>);

impl<'de, T: Deserialize<'de>> Visitor<'de> for ListVisitor<T> {
    type Value = Vec<T>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a sequence")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Vec<T>, A::Error> {
        // A format that knows the length says so; JSON does not, and then the room is one element.
        let announced = seq.size_hint().unwrap_or(0);
        let Some(first) = seq.next_element()? else {
            return Ok(Vec::new());
        };
        let bound = MAX_PREALLOCATED_BYTES / std::mem::size_of::<T>().max(1);
        let mut list = Vec::with_capacity(announced.clamp(1, bound.max(1)));
        list.push(first);
        while let Some(element) = seq.next_element()? {
            list.push(element);
        }
        Ok(list)
    }
}

struct OptionVisitor<T>(PhantomData<T>);

impl<'de, T: Deserialize<'de>> Visitor<'de> for OptionVisitor<T> {
    type Value = Option<Vec<T>>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("option")
    }

    fn visit_none<E: serde::de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_unit<E: serde::de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        vec(deserializer).map(Some)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Deserialize, Debug, PartialEq)]
    struct Lists {
        #[serde(deserialize_with = "vec")]
        items: Vec<String>,
        #[serde(deserialize_with = "option", default)]
        maybe: Option<Vec<u32>>,
    }

    #[test]
    fn one_element_takes_room_for_one() {
        let lists: Lists = serde_json::from_str(r#"{"items":["a"],"maybe":[7]}"#).unwrap();
        assert_eq!(lists.items, ["a"]);
        assert_eq!(lists.items.capacity(), 1);
        let maybe = lists.maybe.unwrap();
        assert_eq!(maybe, [7]);
        assert_eq!(maybe.capacity(), 1);
    }

    #[test]
    fn lists_of_any_length_decode_whole() {
        for n in [0usize, 1, 2, 3, 4, 5, 17, 1000] {
            let items: Vec<String> = (0..n).map(|i| i.to_string()).collect();
            let json =
                serde_json::json!({ "items": items, "maybe": (0..n as u32).collect::<Vec<_>>() });
            let lists: Lists = serde_json::from_value(json.clone()).unwrap();
            assert_eq!(lists.items, items);
            assert_eq!(lists.maybe, Some((0..n as u32).collect()));
            // From text too (no announced length).
            let lists: Lists = serde_json::from_str(&json.to_string()).unwrap();
            assert_eq!(lists.items, items);
            // One element gets room for one; from the second, `Vec`'s own growth (4, 8, 16…).
            let most = if n <= 1 {
                n
            } else {
                n.next_power_of_two().max(4)
            };
            assert!(
                lists.items.capacity() <= most,
                "{n}: {}",
                lists.items.capacity()
            );
        }
    }

    #[test]
    fn null_and_missing_are_none_and_errors_name_the_list() {
        let lists: Lists = serde_json::from_str(r#"{"items":[],"maybe":null}"#).unwrap();
        assert_eq!(lists.maybe, None);
        let lists: Lists = serde_json::from_str(r#"{"items":[]}"#).unwrap();
        assert_eq!(lists.maybe, None);
        let missing = serde_json::from_str::<Lists>(r#"{"maybe":[]}"#).unwrap_err();
        assert!(
            missing.to_string().contains("missing field `items`"),
            "{missing}"
        );
        let wrong = serde_json::from_str::<Lists>(r#"{"items":"a"}"#).unwrap_err();
        assert!(wrong.to_string().contains("expected a sequence"), "{wrong}");
        let wrong = serde_json::from_str::<Lists>(r#"{"items":[1]}"#).unwrap_err();
        assert!(wrong.to_string().contains("expected a string"), "{wrong}");
    }

    #[test]
    fn a_list_the_server_may_leave_out_reads_null_as_left_out() {
        #[derive(Deserialize, Debug)]
        struct Optional {
            #[serde(deserialize_with = "vec_or_null", default)]
            items: Vec<u32>,
        }
        for json in [r#"{"items":null}"#, "{}", r#"{"items":[]}"#] {
            let optional: Optional = serde_json::from_str(json).unwrap();
            assert!(optional.items.is_empty(), "{json}");
        }
        let optional: Optional = serde_json::from_str(r#"{"items":[1,2]}"#).unwrap();
        assert_eq!(optional.items, [1, 2]);
        let wrong = serde_json::from_str::<Optional>(r#"{"items":"a"}"#).unwrap_err();
        assert!(wrong.to_string().contains("expected a sequence"), "{wrong}");
        // A required list still refuses `null`.
        let wrong = serde_json::from_str::<Lists>(r#"{"items":null}"#).unwrap_err();
        assert!(wrong.to_string().contains("expected a sequence"), "{wrong}");
    }

    #[test]
    fn an_announced_length_is_reserved_at_once_up_to_a_bound() {
        // serde_json::Value announces its length: the room is taken once, for all of it.
        let lists: Lists =
            serde_json::from_value(serde_json::json!({"items": ["a", "b", "c"]})).unwrap();
        assert_eq!(lists.items.capacity(), 3);

        // A format that announces far more than it holds reserves at most 1 MiB.
        struct Lying(Option<String>);
        impl Iterator for Lying {
            type Item = String;
            fn next(&mut self) -> Option<String> {
                self.0.take()
            }
            fn size_hint(&self) -> (usize, Option<usize>) {
                (1 << 40, Some(1 << 40))
            }
        }
        let seq = serde::de::value::SeqDeserializer::<_, serde::de::value::Error>::new(Lying(
            Some("only".to_owned()),
        ));
        let items: Vec<String> = vec(seq).unwrap();
        assert_eq!(items, ["only"]);
        assert!(
            items.capacity() * std::mem::size_of::<String>() <= MAX_PREALLOCATED_BYTES,
            "{}",
            items.capacity()
        );
        assert!(items.capacity() > 1, "the announced length was not used");
    }
}
