//! Markup printed literally: text exports carry HTML fragments (`<p>`, `<b>`,
//! `<ul>`/`<ol>`/`<li>`, typed "•" bullets, entities) inside their cells and lines, and a
//! PDF rendered from such an export prints them as text. They are read back into
//! paragraphs and list items the way the text backend reads them, so both renderings
//! of a paper give the same parts.

use actionplan_layout::Part;

/// Tag names read as structure; anything else in angle brackets is left as text.
const TAGS: [&str; 21] = [
    "p", "b", "i", "u", "em", "strong", "ul", "ol", "li", "br", "span", "div", "table", "tr", "td",
    "th", "font", "sup", "sub", "a", "h",
];

/// The tag at the start of `s` ("<p>", "</b>", "<ul style=…>"): its name, whether it
/// closes, and its length in bytes.
fn tag_at(s: &str) -> Option<(&str, bool, usize)> {
    let rest = s.strip_prefix('<')?;
    let end = rest.find('>')?;
    let inner = &rest[..end];
    if inner.contains('<') || inner.len() > 300 {
        return None;
    }
    let (closing, body) = match inner.strip_prefix('/') {
        Some(b) => (true, b),
        None => (false, inner),
    };
    let name_len = body
        .find(|c: char| !c.is_ascii_alphanumeric())
        .unwrap_or(body.len());
    let name = &body[..name_len];
    let known = TAGS.contains(&name.to_ascii_lowercase().as_str())
        || (name.len() == 2
            && name.starts_with(['h', 'H'])
            && name[1..].chars().all(|c| ('1'..='6').contains(&c)));
    // After the name only attributes or a self-closing slash may follow.
    let tail_ok = body[name_len..].is_empty() || body[name_len..].starts_with([' ', '/']);
    (known && tail_ok).then_some((name, closing, end + 2))
}

/// True when `text` holds at least one known HTML tag.
pub fn has_markup(text: &str) -> bool {
    text.match_indices('<')
        .any(|(i, _)| tag_at(&text[i..]).is_some())
}

/// Entities the exports use.
fn decode(s: &str) -> String {
    s.replace("&nbsp;", " ")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&apos;", "'")
        .replace("&amp;", "&")
}

fn squash(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[derive(Default)]
struct Builder {
    parts: Vec<Part>,
    inline: String,
    /// Marker of the item being read, when inside `<li>` or after a typed bullet.
    item: Option<Option<String>>,
    /// Open lists: ordered, and the next number.
    lists: Vec<(bool, usize)>,
}

impl Builder {
    fn flush(&mut self) {
        let t = squash(&decode(&self.inline));
        self.inline.clear();
        match self.item.take() {
            Some(marker) if !t.is_empty() => self.parts.push(Part::item(marker, t)),
            _ if !t.is_empty() => self.parts.push(Part::paragraph(t)),
            _ => {}
        }
    }
}

/// Reads text with HTML fragments into parts: `<p>`, `<br>` and block tags break
/// paragraphs, `<li>` (and "•" typed inside a list) starts an item, `<ol>` items get
/// their number as marker, other tags are dropped and entities decoded. A line break
/// (`\n`) in `text` breaks a paragraph too.
pub fn fragment_parts(text: &str) -> Vec<Part> {
    let mut b = Builder::default();
    let mut rest = text;
    while let Some(c) = rest.chars().next() {
        if c == '<' {
            if let Some((name, closing, len)) = tag_at(rest) {
                let name = name.to_ascii_lowercase();
                match (name.as_str(), closing) {
                    ("ul" | "ol", false) => {
                        b.flush();
                        b.lists.push((name == "ol", 1));
                    }
                    ("ul" | "ol", true) => {
                        b.flush();
                        b.lists.pop();
                    }
                    ("li", false) => {
                        b.flush();
                        let marker = match b.lists.last_mut() {
                            Some((true, n)) => {
                                *n += 1;
                                Some(format!("{}.", *n - 1))
                            }
                            _ => None,
                        };
                        b.item = Some(marker);
                    }
                    ("li", true) | ("p" | "div" | "br" | "table" | "tr", _) => b.flush(),
                    (h, _) if h.len() == 2 && h.starts_with('h') => b.flush(),
                    ("td" | "th", _) => b.inline.push(' '),
                    _ => {}
                }
                rest = &rest[len..];
                continue;
            }
        }
        if c == '\n' {
            b.flush();
        } else if c == '•' && !b.lists.is_empty() {
            // "• one • two": bullets typed as text inside a list are items too.
            b.flush();
            b.item = Some(None);
        } else {
            b.inline.push(c);
        }
        rest = &rest[c.len_utf8()..];
    }
    b.flush();
    b.parts
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fragments_become_parts() {
        let parts = fragment_parts(
            "Distribute data: <ul style=\"list-style-type: none\"> • check monthly • check by EWO </ul>",
        );
        let got: Vec<(bool, &str)> = parts
            .iter()
            .map(|p| (p.list_item, p.text.as_str()))
            .collect();
        assert_eq!(
            got,
            [
                (false, "Distribute data:"),
                (true, "check monthly"),
                (true, "check by EWO")
            ]
        );
        let parts = fragment_parts(
            "<p><b>Lead:</b> A &amp; B</p> <p>Second</p><ol><li>one</li><li>two</li></ol>",
        );
        let got: Vec<(Option<&str>, &str)> = parts
            .iter()
            .map(|p| (p.marker.as_deref(), p.text.as_str()))
            .collect();
        assert_eq!(
            got,
            [
                (None, "Lead: A & B"),
                (None, "Second"),
                (Some("1."), "one"),
                (Some("2."), "two")
            ]
        );
        assert!(!has_markup("a < b and c > d"));
        assert_eq!(fragment_parts("x <notatag> y")[0].text, "x <notatag> y");
    }
}
