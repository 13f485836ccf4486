//! Tests that drive both clients.
