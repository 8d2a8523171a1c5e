//! What a step's command reads of the variables clops sets for it: `$CLOPS_LABEL_X`,
//! `${CLOPS_LABEL_X}`, `$CLOPS_INCIDENT`, `$CLOPS_RUNBOOK_DIR`. One it reads that is
//! unset or empty deserves a warning before anything runs: `kubectl drain
//! $CLOPS_LABEL_NODE` with no node is not the command the responder thinks it is.

/// A variable clops sets that a command reads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reference {
    pub name: String,
    /// Every read says what happens when it is unset (`${NAME:-default}` and kin).
    pub guarded: bool,
}

/// A variable a command reads, plainly, that would be unset or empty.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Missing {
    pub name: String,
    /// Set, to "" (rather than not set at all).
    pub empty: bool,
}

impl Missing {
    /// `$CLOPS_LABEL_NODE is not set`, `… is empty`.
    pub fn describe(&self) -> String {
        let what = if self.empty { "empty" } else { "not set" };
        format!("${} is {what}", self.name)
    }
}

pub use crate::process::is_set_by_clops;

/// The variables clops sets that `command` reads, each once, in the order first read.
/// Quoting is not looked at: a `'$X'` may still reach a shell that expands it.
pub fn references(command: &str) -> Vec<Reference> {
    let mut found: Vec<Reference> = Vec::new();
    let bytes = command.as_bytes();
    let name_at = |start: usize| {
        let len = bytes[start..]
            .iter()
            .take_while(|b| b.is_ascii_alphanumeric() || **b == b'_')
            .count();
        &command[start..start + len]
    };
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] != b'$' {
            i += 1;
            continue;
        }
        let (name, guarded) = match bytes.get(i + 1) {
            Some(b'{') => {
                // `${#NAME}` (its length) reads it as plainly as `${NAME}`.
                let start = i + 2 + usize::from(bytes.get(i + 2) == Some(&b'#'));
                let name = name_at(start.min(bytes.len()));
                let after = bytes.get(start + name.len()).copied();
                let after2 = bytes.get(start + name.len() + 1).copied();
                let guarded = matches!(
                    (after, after2),
                    (Some(b':'), Some(b'-' | b'=' | b'?' | b'+'))
                        | (Some(b'-' | b'=' | b'?' | b'+'), _)
                );
                (name, guarded)
            }
            Some(b) if b.is_ascii_alphabetic() || *b == b'_' => (name_at(i + 1), false),
            _ => ("", false),
        };
        i += 1 + name.len();
        if !is_set_by_clops(name) {
            continue;
        }
        match found.iter_mut().find(|r| r.name == name) {
            Some(r) => r.guarded &= guarded,
            None => found.push(Reference {
                name: name.to_string(),
                guarded,
            }),
        }
    }
    found
}

/// The variables `command` reads plainly that `env` (what clops will set) leaves unset
/// or empty.
pub fn missing(command: &str, env: &[(String, String)]) -> Vec<Missing> {
    references(command)
        .into_iter()
        .filter(|r| !r.guarded)
        .filter_map(|r| match env.iter().find(|(k, _)| *k == r.name) {
            Some((_, v)) if !v.is_empty() => None,
            found => Some(Missing {
                empty: found.is_some(),
                name: r.name,
            }),
        })
        .collect()
}

/// The label a `CLOPS_LABEL_<NAME>` is most likely made from (`node` for
/// `CLOPS_LABEL_NODE`), for telling the responder what to give.
pub fn label_of(name: &str) -> Option<String> {
    name.strip_prefix("CLOPS_LABEL_")
        .map(|l| l.to_ascii_lowercase())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(command: &str) -> Vec<(String, bool)> {
        references(command)
            .into_iter()
            .map(|r| (r.name, r.guarded))
            .collect()
    }

    #[test]
    fn plain_braced_and_guarded_reads_are_told_apart() {
        assert_eq!(
            names(
                "kubectl cordon $CLOPS_LABEL_NODE && kubectl drain ${CLOPS_LABEL_NODE} \
                 -n ${CLOPS_LABEL_NAMESPACE:-default} # $CLOPS_INCIDENT ${#CLOPS_RUNBOOK_DIR}"
            ),
            [
                ("CLOPS_LABEL_NODE".into(), false),
                ("CLOPS_LABEL_NAMESPACE".into(), true),
                ("CLOPS_INCIDENT".into(), false),
                ("CLOPS_RUNBOOK_DIR".into(), false),
            ]
        );
        // Others' variables, `$$`, `$1` and a lone `$` are not ours to judge.
        assert!(names("echo $HOME $$ $1 ${PATH} $ $CLOPS_TOKEN_X").is_empty());
        // The longest name is the one read, as sh reads it.
        assert_eq!(
            names("echo $CLOPS_LABEL_NODE_NAME"),
            [("CLOPS_LABEL_NODE_NAME".into(), false)]
        );
        // One plain read is enough to need the value.
        assert_eq!(
            names("${CLOPS_LABEL_A-x} $CLOPS_LABEL_A"),
            [("CLOPS_LABEL_A".into(), false)]
        );
    }

    #[test]
    fn unset_and_empty_values_of_plain_reads_are_missing() {
        let env = vec![
            ("CLOPS_LABEL_CLUSTER".to_string(), "prod-eu".to_string()),
            ("CLOPS_LABEL_POD".to_string(), String::new()),
        ];
        let found = missing(
            "echo $CLOPS_LABEL_NODE $CLOPS_LABEL_CLUSTER $CLOPS_LABEL_POD ${CLOPS_LABEL_NS:-x}",
            &env,
        );
        assert_eq!(
            found,
            [
                Missing {
                    name: "CLOPS_LABEL_NODE".into(),
                    empty: false
                },
                Missing {
                    name: "CLOPS_LABEL_POD".into(),
                    empty: true
                },
            ]
        );
        assert_eq!(found[0].describe(), "$CLOPS_LABEL_NODE is not set");
        assert_eq!(found[1].describe(), "$CLOPS_LABEL_POD is empty");
        assert_eq!(label_of("CLOPS_LABEL_NODE").as_deref(), Some("node"));
    }
}
