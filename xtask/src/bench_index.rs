//! `cargo xtask bench_index` (not yet implemented).

pub fn run(_args: &[String]) -> anyhow::Result<()> {
    anyhow::bail!("not implemented yet")
}
