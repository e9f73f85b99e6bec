//! `cargo xtask render-pdfs [--soffice PATH] [--root WORKSPACE]`: renders each `corpus/text/*.txt` to PDF
//! with LibreOffice (headless) twice — as plain text (`NAME.text.pdf`) and as simple
//! HTML with bordered tables (`NAME.html.pdf`) — into `corpus/pdf-rendered/`.
//!
//! The output is committed so tests never need LibreOffice; install it with
//! `scripts/install-pdf-tools.sh`. Tab-separated lines become `<table border=1>` rows,
//! lines starting "- " or "• " become list items, "#" lines headings.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{bail, Context};

/// LibreOffice gets this long per file before it is killed.
const SOFFICE_TIMEOUT: Duration = Duration::from_secs(180);

pub fn run(args: &[String]) -> anyhow::Result<()> {
    let soffice = args
        .iter()
        .position(|a| a == "--soffice")
        .and_then(|i| args.get(i + 1))
        .cloned()
        .unwrap_or_else(|| "soffice".to_owned());
    let root = args
        .iter()
        .position(|a| a == "--root")
        .and_then(|i| args.get(i + 1))
        .map(PathBuf::from)
        .unwrap_or_else(workspace_root);
    let src = root.join("corpus/text");
    let out = root.join("corpus/pdf-rendered");
    std::fs::create_dir_all(&out).with_context(|| format!("creating {}", out.display()))?;
    let work = std::env::temp_dir().join(format!("actionplan-render-{}", std::process::id()));
    std::fs::create_dir_all(&work)?;
    let profile = work.join("profile");

    let mut inputs: Vec<PathBuf> = std::fs::read_dir(&src)
        .with_context(|| format!("reading {}", src.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    inputs.sort();
    if inputs.is_empty() {
        bail!("no .txt papers in {}", src.display());
    }
    for input in &inputs {
        let stem = input
            .file_stem()
            .and_then(|s| s.to_str())
            .context("non-UTF-8 file name")?;
        let text = std::fs::read_to_string(input)
            .with_context(|| format!("reading {}", input.display()))?;
        // LibreOffice names its output after the input, so the inputs carry the final names.
        let as_text = work.join(format!("{stem}.text.txt"));
        std::fs::write(&as_text, &text)?;
        convert(
            &soffice,
            &profile,
            &as_text,
            "Text (encoded):UTF8,LF,Liberation Mono,en-GB,",
            &out,
        )?;
        let as_html = work.join(format!("{stem}.html.html"));
        std::fs::write(&as_html, to_html(stem, &text))?;
        convert(&soffice, &profile, &as_html, "HTML (StarWriter)", &out)?;
        println!("rendered {stem}: {stem}.text.pdf, {stem}.html.pdf");
    }
    let _ = std::fs::remove_dir_all(&work);
    println!("{} papers rendered into {}", inputs.len(), out.display());
    Ok(())
}

fn workspace_root() -> PathBuf {
    let here = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    here.parent().map(Path::to_path_buf).unwrap_or(here)
}

/// Runs one headless conversion to PDF, killing LibreOffice if it stalls.
fn convert(
    soffice: &str,
    profile: &Path,
    input: &Path,
    infilter: &str,
    out: &Path,
) -> anyhow::Result<()> {
    let mut child = Command::new(soffice)
        .arg(format!(
            "-env:UserInstallation=file://{}",
            profile.display()
        ))
        .args(["--headless", "--norestore", "--nolockcheck"])
        .arg(format!("--infilter={infilter}"))
        .args(["--convert-to", "pdf:writer_pdf_Export", "--outdir"])
        .arg(out)
        .arg(input)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .with_context(|| {
            format!("running {soffice}; install it with scripts/install-pdf-tools.sh")
        })?;
    let started = Instant::now();
    loop {
        if let Some(status) = child.try_wait()? {
            if !status.success() {
                bail!("{soffice} failed on {} ({status})", input.display());
            }
            break;
        }
        if started.elapsed() > SOFFICE_TIMEOUT {
            let _ = child.kill();
            bail!("{soffice} timed out on {}", input.display());
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    let stem = input
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or_default();
    let pdf = out.join(format!("{stem}.pdf"));
    if !pdf.exists() {
        bail!("{soffice} produced no {}", pdf.display());
    }
    Ok(())
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// Whether `s` opens with an HTML character reference ("&amp;", "&#8217;").
fn entity_at(s: &str) -> bool {
    let Some(end) = s.find(';') else { return false };
    let body = &s[1..end];
    end <= 10
        && !body.is_empty()
        && (body.chars().all(|c| c.is_ascii_alphanumeric()) || body.starts_with('#'))
}

/// Tags the corpus texts carry inside cells, which a browser would render.
const KEPT_TAGS: [&str; 13] = [
    "b", "i", "u", "p", "br", "ul", "ol", "li", "strong", "em", "span", "div", "sup",
];

/// The tag at the start of `s` ("<b>", "</li>", "<ul style=…>") if it is one we keep.
fn kept_tag(s: &str) -> Option<&str> {
    let end = s.find('>')?;
    let inner = s[1..end].trim_start_matches('/');
    let name: String = inner
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric())
        .collect();
    let rest = &inner[name.len()..];
    let plain = rest.is_empty() || rest.starts_with([' ', '/']);
    (plain && KEPT_TAGS.contains(&name.to_ascii_lowercase().as_str()) && !s[1..end].contains('<'))
        .then(|| &s[..=end])
}

/// Escapes text but keeps character references and the inline tags a browser would
/// render (`<b>`, `<br>`, `<ul>`, …).
fn inline(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut i = 0;
    while let Some(ch) = s[i..].chars().next() {
        let rest = &s[i..];
        match ch {
            '<' => match kept_tag(rest) {
                Some(tag) => {
                    out.push_str(tag);
                    i += tag.len();
                    continue;
                }
                None => out.push_str("&lt;"),
            },
            '&' if entity_at(rest) => out.push('&'),
            '&' => out.push_str("&amp;"),
            '>' => out.push_str("&gt;"),
            c => out.push(c),
        }
        i += ch.len_utf8();
    }
    out
}

/// The paper as simple HTML: bordered tables for tab-separated rows.
pub fn to_html(title: &str, text: &str) -> String {
    let mut html = format!(
        "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>{}</title></head><body>\n",
        escape(title)
    );
    let mut in_table = false;
    let mut in_list = false;
    for line in text.lines() {
        let is_row = line.contains('\t');
        let item = line.strip_prefix("- ").or_else(|| line.strip_prefix("• "));
        if in_table && !is_row {
            html.push_str("</table>\n");
            in_table = false;
        }
        if in_list && item.is_none() {
            html.push_str("</ul>\n");
            in_list = false;
        }
        if is_row {
            if !in_table {
                html.push_str("<table border=\"1\" cellspacing=\"0\" cellpadding=\"4\">\n");
                in_table = true;
            }
            html.push_str("<tr>");
            for cell in line.split('\t') {
                html.push_str(&format!("<td>{}</td>", inline(cell.trim())));
            }
            html.push_str("</tr>\n");
        } else if let Some(item) = item {
            if !in_list {
                html.push_str("<ul>\n");
                in_list = true;
            }
            html.push_str(&format!("<li>{}</li>\n", inline(item.trim())));
        } else if let Some(h) = line.strip_prefix('#') {
            let level = 1 + h.chars().take_while(|c| *c == '#').count().min(4);
            html.push_str(&format!(
                "<h{level}>{}</h{level}>\n",
                inline(h.trim_start_matches('#').trim())
            ));
        } else if !line.trim().is_empty() {
            html.push_str(&format!("<p>{}</p>\n", inline(line.trim())));
        }
    }
    if in_table {
        html.push_str("</table>\n");
    }
    if in_list {
        html.push_str("</ul>\n");
    }
    html.push_str("</body></html>\n");
    html
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tab_rows_become_a_bordered_table() {
        let h = to_html(
            "t",
            "Intro\n<b>Action</b>\tLead\nAudit\tHead of QA\n- item & more\n",
        );
        assert!(h.contains("<table border=\"1\""));
        assert!(h.contains("<tr><td><b>Action</b></td><td>Lead</td></tr>"));
        assert!(h.contains("<li>item &amp; more</li>"));
        assert!(h.contains("<p>Intro</p>"));
        assert!(to_html("t", "Plans &amp; Strategy").contains("Plans &amp; Strategy"));
        let cell = to_html("t", "a\t<ul style=\"x\"><li>One</li></ul> <script>\n");
        assert!(
            cell.contains("<ul style=\"x\"><li>One</li></ul> &lt;script&gt;"),
            "{cell}"
        );
    }
}
