//! `cargo xtask render_pdfs` (not yet implemented).

pub fn run(_args: &[String]) -> anyhow::Result<()> {
    anyhow::bail!("not implemented yet")
}
