//! Async client for the Groq API.
