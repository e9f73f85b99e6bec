//! HTML: whole pages (headings, paragraphs, lists, tables) and the fragments
//! (`<p>`, `<b>`, `<ul>/<ol>/<li>`) that text exports carry inside table cells.

use std::sync::LazyLock;

use actionplan_layout::{Block, BlockKind, Cell, Layout, Part, Row, Table};
use regex::Regex;
use scraper::{ElementRef, Html, Node};

static TAG: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)</?(p|b|i|u|em|strong|ul|ol|li|br|span|div|table|tr|td|th|font|sup|sub|a)\b[^>]*>")
        .expect("valid regex")
});

/// True when `text` contains HTML markup worth parsing.
pub fn has_markup(text: &str) -> bool {
    text.contains('<') && TAG.is_match(text)
}

pub use actionplan_layout::squash;

/// Parses an HTML fragment into paragraphs and list items. `<ol>` items get their
/// printed number as marker ("1."); `<ul>` items get none.
pub fn fragment_parts(fragment: &str) -> Vec<Part> {
    let doc = Html::parse_fragment(fragment);
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
                let Some(child_el) = ElementRef::wrap(child) else { continue };
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
                        let start: usize = e.attr("start").and_then(|s| s.trim().parse().ok()).unwrap_or(1);
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
                            let Some(li) = ElementRef::wrap(node) else { continue };
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

/// Layout of a whole HTML page: one page, blocks in document order.
pub fn layout(html: &str) -> Layout {
    let doc = Html::parse_document(html);
    let mut blocks = Vec::new();
    collect(doc.root_element(), &mut blocks);
    Layout { pages: 1, blocks, notes: Vec::new() }
}

fn push(blocks: &mut Vec<Block>, kind: BlockKind) {
    blocks.push(Block { page: 1, line: None, kind });
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
                            let span: usize = c.value().attr("colspan").and_then(|s| s.parse().ok()).unwrap_or(1).clamp(1, 50);
                            let cell = Cell { parts: fragment_parts(&c.inner_html()), ..Cell::default() };
                            std::iter::once(cell).chain(std::iter::repeat_n(Cell::default(), span - 1))
                        })
                        .collect();
                    if cells.iter().any(|c| !c.is_empty()) {
                        table.rows.push(Row { page: 1, line: None, cells });
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
                        push(blocks, BlockKind::ListItem { marker: p.marker, depth, text: p.text });
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
                        Some(m) => BlockKind::ListItem { marker: Some(m[1].to_owned()), depth: 0, text: m[2].to_owned() },
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
        let texts: Vec<_> = parts.iter().map(|p| (p.marker.clone(), p.list_item, p.text.as_str())).collect();
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
        let parts = fragment_parts("<ul style=\"list-style-type: none\"> Allocation within 2 weeks");
        assert_eq!(parts.len(), 1);
        assert_eq!(parts[0].text, "Allocation within 2 weeks");
    }

    #[test]
    fn typed_bullets_in_a_list_are_items() {
        let parts = fragment_parts("<ul style=\"x\"> • Weekly monitoring • Weekly review");
        let t: Vec<_> = parts.iter().map(|p| (p.list_item, p.text.as_str())).collect();
        assert_eq!(t, vec![(true, "Weekly monitoring"), (true, "Weekly review")]);
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
        assert!(matches!(&l.blocks[0].kind, BlockKind::Heading { level: 1, text } if text == "Action plan"));
        let BlockKind::Table(t) = &l.blocks[2].kind else { panic!("expected a table: {:?}", l.blocks) };
        assert_eq!(t.rows.len(), 2);
        assert_eq!(t.rows[1].cells[0].parts.len(), 2);
        assert_eq!(t.rows[1].cell_text(1), "Jo Bloggs");
    }

    #[test]
    fn markup_detection() {
        assert!(has_markup("<p>x</p>"));
        assert!(!has_markup("a < b and c > d"));
    }
}
