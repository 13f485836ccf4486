//! Blocking client for the Groq API.
