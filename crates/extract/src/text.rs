//! Plain-text exports.
use actionplan_layout::Layout;
pub fn layout(_text: &str) -> Layout { Layout::default() }
