//! HTML pages and fragments.
use actionplan_layout::Layout;
pub fn layout(_html: &str) -> Layout { Layout::default() }
