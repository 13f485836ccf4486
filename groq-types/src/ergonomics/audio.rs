//! Audio results: the length of a transcript as a number of seconds.

use crate::AudioDuration;

impl AudioDuration {
    /// The length in seconds, whether the server sent a number or a numeric string.
    ///
    /// ```
    /// use groq_types::AudioDuration;
    ///
    /// assert_eq!(AudioDuration::Seconds(50.16).seconds(), Some(50.16));
    /// assert_eq!(AudioDuration::Text("12.5".into()).seconds(), Some(12.5));
    /// assert_eq!(AudioDuration::Text("n/a".into()).seconds(), None);
    /// ```
    pub fn seconds(&self) -> Option<f64> {
        match self {
            Self::Seconds(seconds) => Some(*seconds),
            Self::Text(text) => text.trim().parse().ok(),
        }
    }
}
