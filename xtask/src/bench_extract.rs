//! `cargo xtask bench_extract` (not yet implemented).

pub fn run(_args: &[String]) -> anyhow::Result<()> {
    anyhow::bail!("not implemented yet")
}
