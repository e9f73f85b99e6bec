//! HTML: whole pages (headings, paragraphs, lists, tables) and the fragments
//! (`<p>`, `<b>`, `<ul>/<ol>/<li>`) that text exports carry inside table cells.

use std::sync::LazyLock;

use actionplan_layout::{Block, BlockKind, Cell, Layout, Note, Part, Row, Table};
use regex::Regex;
use scraper::{ElementRef, Html, Node};

static TAG: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)</?(p|b|i|u|em|strong|ul|ol|li|br|span|div|table|tr|td|th|font|sup|sub|a)\b[^>]*>",
    )
    .expect("valid regex")
});

/// True when `text` contains HTML markup worth parsing.
pub fn has_markup(text: &str) -> bool {
    text.contains('<') && TAG.is_match(text)
}

pub use actionplan_layout::squash;

/// Deepest element nesting read as HTML structure. Deeper markup (thousands of
/// nested tables or divs: hostile or broken, never a real paper) is read as plain
/// text without its structure, in time linear in its size: the HTML parser's cost
/// and our recursive walks grow with depth, and would otherwise overflow the stack.
pub const MAX_NESTING: usize = 128;

/// Elements that never hold content, or whose end tag is implied by the next
/// sibling: they do not nest on their own (`<p><p>` is two paragraphs).
const NOT_NESTING: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source",
    "track", "wbr", "p", "li", "dt", "dd", "td", "th", "tr", "option", "thead", "tbody", "tfoot",
    "colgroup", "rb", "rt", "rp",
];

/// Nesting depth of the markup, from a linear scan of its tags (no parse).
pub fn nesting_depth(html: &str) -> usize {
    let bytes = html.as_bytes();
    let (mut depth, mut max, mut i) = (0usize, 0usize, 0usize);
    while let Some(off) = memchr_lt(&bytes[i..]) {
        i += off + 1;
        if bytes[i..].starts_with(b"!--") {
            i = find_from(bytes, i, b"-->").map_or(bytes.len(), |e| e + 3);
            continue;
        }
        let closing = bytes.get(i) == Some(&b'/');
        let start = if closing { i + 1 } else { i };
        let mut end = start;
        while end < bytes.len() && (bytes[end].is_ascii_alphanumeric() || bytes[end] == b'-') {
            end += 1;
        }
        if end == start {
            continue; // "a < b", "<!DOCTYPE", "<?xml"
        }
        let name = html[start..end].to_ascii_lowercase();
        let close = find_from(bytes, end, b">").unwrap_or(bytes.len());
        let self_closing = close > 0 && bytes.get(close - 1) == Some(&b'/');
        i = close.min(bytes.len());
        if NOT_NESTING.contains(&name.as_str()) || self_closing {
            continue;
        }
        if closing {
            depth = depth.saturating_sub(1);
            continue;
        }
        if name == "script" || name == "style" {
            // Raw text up to the end tag; it holds no elements.
            let end_tag = format!("</{name}");
            i = find_ci(html, i, &end_tag).unwrap_or(bytes.len());
            continue;
        }
        depth += 1;
        max = max.max(depth);
    }
    max
}

fn memchr_lt(hay: &[u8]) -> Option<usize> {
    hay.iter().position(|&b| b == b'<')
}

fn find_from(hay: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    if from >= hay.len() {
        return None;
    }
    hay[from..]
        .windows(needle.len())
        .position(|w| w == needle)
        .map(|p| p + from)
}

fn find_ci(hay: &str, from: usize, needle: &str) -> Option<usize> {
    let hay = hay.as_bytes();
    if from >= hay.len() {
        return None;
    }
    hay[from..]
        .windows(needle.len())
        .position(|w| w.eq_ignore_ascii_case(needle.as_bytes()))
        .map(|p| p + from)
}

/// Depth of a parsed tree, walked without recursion.
fn tree_depth(doc: &Html) -> usize {
    let (mut depth, mut max) = (0usize, 0usize);
    for edge in doc.tree.root().traverse() {
        match edge {
            ego_tree::iter::Edge::Open(_) => {
                depth += 1;
                max = max.max(depth);
            }
            ego_tree::iter::Edge::Close(_) => depth = depth.saturating_sub(1),
        }
    }
    max
}

static SCRIPT_STYLE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?is)<script\b.*?</script\s*>|<style\b.*?</style\s*>|<!--.*?-->")
        .expect("valid regex")
});
static BLOCK_TAG: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)</?(br|p|div|tr|li|ul|ol|h[1-6]|table|section|article|blockquote|pre|dt|dd|caption)\b[^>]*>")
        .expect("valid regex")
});
static CELL_TAG: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)</?t[dh]\b[^>]*>").expect("valid regex"));
static ANY_TAG: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"<[^>]*>").expect("valid regex"));

/// The text of markup too deep to parse: block tags become line breaks, cell tags
/// tabs, other tags nothing; empty lines collapse. Linear in the input.
fn flattened_text(html: &str) -> String {
    let t = SCRIPT_STYLE.replace_all(html, " ");
    let t = BLOCK_TAG.replace_all(&t, "\n");
    let t = CELL_TAG.replace_all(&t, "\t");
    let t = ANY_TAG.replace_all(&t, "");
    let t = t
        .replace("&nbsp;", " ")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&");
    let mut out = String::with_capacity(t.len().min(1 << 20));
    for line in t.split('\n') {
        let cells: Vec<&str> = line
            .split('\t')
            .map(str::trim)
            .filter(|c| !c.is_empty())
            .collect();
        if cells.is_empty() {
            continue;
        }
        out.push_str(&cells.join("\t"));
        out.push('\n');
    }
    out
}

fn too_deep_note(depth: usize) -> Note {
    Note {
        page: None,
        message: format!(
            "HTML nested {depth} elements deep (the limit is {MAX_NESTING}): read as plain text, without its structure"
        ),
    }
}

/// Parses an HTML fragment into paragraphs and list items. `<ol>` items get their
/// printed number as marker ("1."); `<ul>` items get none. Markup nested deeper
/// than [`MAX_NESTING`] gives one paragraph per line of its text.
pub fn fragment_parts(fragment: &str) -> Vec<Part> {
    let flat = || {
        flattened_text(fragment)
            .lines()
            .map(squash)
            .filter(|l| !l.is_empty())
            .map(Part::paragraph)
            .collect::<Vec<_>>()
    };
    if nesting_depth(fragment) > MAX_NESTING {
        return flat();
    }
    let doc = Html::parse_fragment(fragment);
    if tree_depth(&doc) > MAX_NESTING + 8 {
        return flat();
    }
    let mut parts = Vec::new();
    let mut inline = String::new();
    walk(doc.root_element(), &mut parts, &mut inline);
    flush(&mut parts, &mut inline);
    parts
}

fn flush(parts: &mut Vec<Part>, inline: &mut String) {
    let t = squash(inline);
    if !t.is_empty() {
        parts.push(Part::paragraph(t));
    }
    inline.clear();
}

fn walk(el: ElementRef<'_>, parts: &mut Vec<Part>, inline: &mut String) {
    for child in el.children() {
        match child.value() {
            Node::Text(t) => inline.push_str(t),
            Node::Element(e) => {
                let Some(child_el) = ElementRef::wrap(child) else {
                    continue;
                };
                match e.name() {
                    "br" => flush(parts, inline),
                    "p" | "div" | "h1" | "h2" | "h3" | "h4" | "h5" | "h6" | "tr" | "table" => {
                        flush(parts, inline);
                        walk(child_el, parts, inline);
                        flush(parts, inline);
                    }
                    "td" | "th" => {
                        inline.push(' ');
                        walk(child_el, parts, inline);
                        inline.push(' ');
                    }
                    "ul" | "ol" => {
                        flush(parts, inline);
                        let ordered = e.name() == "ol";
                        let start: usize = e
                            .attr("start")
                            .and_then(|s| s.trim().parse().ok())
                            .unwrap_or(1);
                        let mut n = start;
                        for node in child_el.children() {
                            // Exports sometimes drop the <li> tags and leave the text in the list.
                            if let Node::Text(t) = node.value() {
                                // "• one • two": bullets typed as text are items too.
                                if t.contains('•') {
                                    for (k, piece) in t.split('•').enumerate() {
                                        if k == 0 {
                                            inline.push_str(piece);
                                            continue;
                                        }
                                        flush(parts, inline);
                                        let item = squash(piece);
                                        if !item.is_empty() {
                                            parts.push(Part::item(None, item));
                                        }
                                    }
                                } else {
                                    inline.push_str(t);
                                }
                                continue;
                            }
                            let Some(li) = ElementRef::wrap(node) else {
                                continue;
                            };
                            if li.value().name() != "li" {
                                walk(li, parts, inline);
                                continue;
                            }
                            flush(parts, inline);
                            let mut sub = Vec::new();
                            let mut text = String::new();
                            walk(li, &mut sub, &mut text);
                            flush(&mut sub, &mut text);
                            let marker = ordered.then(|| format!("{n}."));
                            n += 1;
                            let mut first = true;
                            for p in sub {
                                if first {
                                    parts.push(Part::item(marker.clone(), p.text));
                                    first = false;
                                } else {
                                    parts.push(p);
                                }
                            }
                        }
                        flush(parts, inline);
                    }
                    "script" | "style" | "head" => {}
                    _ => walk(child_el, parts, inline),
                }
            }
            _ => {}
        }
    }
}

/// Layout of a whole HTML page: one page, blocks in document order. A page nested
/// deeper than [`MAX_NESTING`] is read as plain text, with a note saying so.
pub fn layout(html: &str) -> Layout {
    let depth = nesting_depth(html);
    if depth > MAX_NESTING {
        return flat_layout(html, depth);
    }
    let doc = Html::parse_document(html);
    // The parser can nest deeper than the tags suggest (misnested formatting tags).
    let parsed_depth = tree_depth(&doc);
    if parsed_depth > MAX_NESTING + 8 {
        return flat_layout(html, parsed_depth);
    }
    let mut blocks = Vec::new();
    collect(doc.root_element(), &mut blocks);
    Layout {
        pages: 1,
        blocks,
        notes: Vec::new(),
    }
}

fn flat_layout(html: &str, depth: usize) -> Layout {
    let mut l = crate::text::layout(&flattened_text(html));
    l.notes.insert(0, too_deep_note(depth));
    l
}

fn push(blocks: &mut Vec<Block>, kind: BlockKind) {
    blocks.push(Block {
        page: 1,
        line: None,
        kind,
    });
}

fn collect(el: ElementRef<'_>, blocks: &mut Vec<Block>) {
    for child in el.children().filter_map(ElementRef::wrap) {
        let name = child.value().name();
        match name {
            "script" | "style" | "head" | "nav" => {}
            "h1" | "h2" | "h3" | "h4" | "h5" | "h6" => {
                let text = squash(&child.text().collect::<String>());
                if !text.is_empty() {
                    let level = name[1..].parse().unwrap_or(2);
                    push(blocks, BlockKind::Heading { level, text });
                }
            }
            "table" => {
                let mut table = Table::default();
                for tr in child.select(&TR) {
                    let cells: Vec<Cell> = tr
                        .children()
                        .filter_map(ElementRef::wrap)
                        .filter(|c| matches!(c.value().name(), "td" | "th"))
                        .flat_map(|c| {
                            let span: usize = c
                                .value()
                                .attr("colspan")
                                .and_then(|s| s.parse().ok())
                                .unwrap_or(1)
                                .clamp(1, 50);
                            let cell = Cell {
                                parts: fragment_parts(&c.inner_html()),
                                ..Cell::default()
                            };
                            std::iter::once(cell)
                                .chain(std::iter::repeat_n(Cell::default(), span - 1))
                        })
                        .collect();
                    if cells.iter().any(|c| !c.is_empty()) {
                        table.rows.push(Row {
                            page: 1,
                            line: None,
                            cells,
                        });
                    }
                }
                if !table.rows.is_empty() {
                    push(blocks, BlockKind::Table(table));
                }
            }
            "ul" | "ol" => {
                for p in fragment_parts(&child.html()) {
                    let depth = 0;
                    if p.list_item {
                        push(
                            blocks,
                            BlockKind::ListItem {
                                marker: p.marker,
                                depth,
                                text: p.text,
                            },
                        );
                    } else {
                        push(blocks, BlockKind::Paragraph { text: p.text });
                    }
                }
            }
            "p" | "li" | "dt" | "dd" | "caption" | "pre" | "blockquote" => {
                for p in fragment_parts(&child.html()) {
                    // "1. Ensure …", "(a) note …" typed into a paragraph are list items,
                    // as the text backend reads them.
                    let kind = match crate::text::MARKER.captures(&p.text) {
                        Some(m) => BlockKind::ListItem {
                            marker: Some(m[1].to_owned()),
                            depth: 0,
                            text: m[2].to_owned(),
                        },
                        None => BlockKind::Paragraph { text: p.text },
                    };
                    push(blocks, kind);
                }
            }
            _ => {
                // Containers (body, div, section…): text sitting directly inside them is a paragraph.
                let direct: String = child
                    .children()
                    .filter_map(|n| n.value().as_text().map(|t| t.to_string()))
                    .collect();
                let direct = squash(&direct);
                if !direct.is_empty() {
                    push(blocks, BlockKind::Paragraph { text: direct });
                }
                collect(child, blocks);
            }
        }
    }
}

static TR: LazyLock<scraper::Selector> =
    LazyLock::new(|| scraper::Selector::parse("tr").expect("valid selector"));

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fragment_paragraphs_lists_and_entities() {
        let parts = fragment_parts(
            "<p>Intro &amp; context</p> <ol style=\"x\"> <li>Undertake an audit</li><li>Monitor</li></ol><ul><li>bullet</li></ul>",
        );
        let texts: Vec<_> = parts
            .iter()
            .map(|p| (p.marker.clone(), p.list_item, p.text.as_str()))
            .collect();
        assert_eq!(
            texts,
            vec![
                (None, false, "Intro & context"),
                (Some("1.".into()), true, "Undertake an audit"),
                (Some("2.".into()), true, "Monitor"),
                (None, true, "bullet"),
            ]
        );
    }

    #[test]
    fn list_without_items_keeps_its_text() {
        let parts =
            fragment_parts("<ul style=\"list-style-type: none\"> Allocation within 2 weeks");
        assert_eq!(parts.len(), 1);
        assert_eq!(parts[0].text, "Allocation within 2 weeks");
    }

    #[test]
    fn typed_bullets_in_a_list_are_items() {
        let parts = fragment_parts("<ul style=\"x\"> • Weekly monitoring • Weekly review");
        let t: Vec<_> = parts
            .iter()
            .map(|p| (p.list_item, p.text.as_str()))
            .collect();
        assert_eq!(
            t,
            vec![(true, "Weekly monitoring"), (true, "Weekly review")]
        );
    }

    #[test]
    fn inline_bold_is_plain_text() {
        let parts = fragment_parts("<p><b>Lead Responsibility:</b> Duncan Clark</p>");
        assert_eq!(parts[0].text, "Lead Responsibility: Duncan Clark");
    }

    #[test]
    fn page_with_table_and_headings() {
        let l = layout(
            "<html><body><h1>Action plan</h1><p>Intro</p><table><tr><th>Action</th><th>Lead</th></tr>\
             <tr><td><p>Do a</p><p>then b</p></td><td>Jo Bloggs</td></tr></table></body></html>",
        );
        assert!(
            matches!(&l.blocks[0].kind, BlockKind::Heading { level: 1, text } if text == "Action plan")
        );
        let BlockKind::Table(t) = &l.blocks[2].kind else {
            panic!("expected a table: {:?}", l.blocks)
        };
        assert_eq!(t.rows.len(), 2);
        assert_eq!(t.rows[1].cells[0].parts.len(), 2);
        assert_eq!(t.rows[1].cell_text(1), "Jo Bloggs");
    }

    fn texts(l: &Layout) -> String {
        l.blocks
            .iter()
            .map(|b| format!("{:?}", b.kind))
            .collect::<Vec<_>>()
            .join("\n")
    }

    #[test]
    fn thousands_of_nested_tables_are_read_as_text_without_overflow() {
        let n = 5000;
        let html = format!(
            "<html><body>{}Recommendation 1 Improve attendance{}</body></html>",
            "<table><tr><td>".repeat(n),
            "</td></tr></table>".repeat(n)
        );
        assert_eq!(nesting_depth(&html), n + 2);
        let l = layout(&html);
        assert!(
            texts(&l).contains("Recommendation 1 Improve attendance"),
            "{l:?}"
        );
        assert!(l.notes[0].message.contains("nested"), "{:?}", l.notes);
    }

    #[test]
    fn a_hundred_thousand_nested_divs_are_read_as_text_without_overflow() {
        let n = 100_000;
        let html = format!(
            "<html><body>{}Deep text{}</body></html>",
            "<div>".repeat(n),
            "</div>".repeat(n)
        );
        let l = layout(&html);
        assert!(texts(&l).contains("Deep text"));
        let parts = fragment_parts(&format!(
            "{}Deep cell{}",
            "<span>".repeat(n),
            "</span>".repeat(n)
        ));
        assert_eq!(parts.len(), 1);
        assert_eq!(parts[0].text, "Deep cell");
    }

    #[test]
    fn ordinary_nesting_is_parsed_as_html() {
        // Unclosed paragraphs, list items and cells do not count as nesting.
        let html = format!(
            "<!DOCTYPE html><html><body>{}<table>{}</table><div><div><p>Deep enough</p></div></div></body></html>",
            "<p>para".repeat(500),
            "<tr><td>cell".repeat(500)
        );
        assert!(nesting_depth(&html) < 10, "{}", nesting_depth(&html));
        let l = layout(&html);
        assert!(l.notes.is_empty());
        assert!(l
            .blocks
            .iter()
            .any(|b| matches!(&b.kind, BlockKind::Table(_))));
        let depth = nesting_depth(&format!(
            "{}x{}",
            "<div>".repeat(MAX_NESTING),
            "</div>".repeat(MAX_NESTING)
        ));
        assert_eq!(depth, MAX_NESTING);
    }

    #[test]
    fn markup_detection() {
        assert!(has_markup("<p>x</p>"));
        assert!(!has_markup("a < b and c > d"));
    }
}
