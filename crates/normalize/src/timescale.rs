//! Timescale parsing (placeholder).
