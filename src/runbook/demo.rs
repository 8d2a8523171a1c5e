//! The runbooks of `clops demo`.

/// The demo's runbooks, built in: their steps only print, so trying them changes
/// nothing on the machine.
pub fn runbooks() -> Vec<crate::runbook::Runbook> {
    const FILES: [(&str, &str); 3] = [
        ("higherrorrate", include_str!("demo/higherrorrate.md")),
        ("highlatency", include_str!("demo/highlatency.md")),
        ("kubenodenotready", include_str!("demo/kubenodenotready.md")),
    ];
    FILES
        .iter()
        .map(|(name, text)| {
            let path = std::path::PathBuf::from(format!("(built into the demo)/{name}.md"));
            super::parse(&path, name, text).expect("the demo's runbooks parse")
        })
        .collect()
}
