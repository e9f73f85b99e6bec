//! Tests of the PDF backend on PDFs built in the tests, on bad input and on mutations of
//! the corpus PDFs.

mod bad;
mod fuzz;
mod layout;
mod synth;
