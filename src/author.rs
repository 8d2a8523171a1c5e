//! Who is acting: `user@host`, recorded on every silence, ack and timeline event.

/// `user@host` of whoever runs clops (`CLOPS_AUTHOR` overrides, for shared accounts).
pub fn author() -> String {
    if let Ok(a) = std::env::var("CLOPS_AUTHOR")
        && !a.trim().is_empty()
    {
        return crate::text::clean_line(a.trim());
    }
    let user = std::env::var("USER")
        .or_else(|_| std::env::var("LOGNAME"))
        .ok()
        .filter(|u| !u.is_empty())
        .unwrap_or_else(login_name);
    crate::text::clean_line(&format!("{user}@{}", host_name()))
}

fn login_name() -> String {
    match nix::unistd::User::from_uid(nix::unistd::getuid()) {
        Ok(Some(user)) => user.name,
        _ => "unknown".into(),
    }
}

fn host_name() -> String {
    let Ok(name) = nix::unistd::gethostname() else {
        return "localhost".into();
    };
    let name = name.to_string_lossy();
    // The short name reads better in a timeline: jump-1, not jump-1.corp.example.com.
    name.split('.').next().unwrap_or("localhost").to_string()
}

#[cfg(test)]
mod tests {
    #[test]
    fn author_is_user_at_host() {
        let a = super::author();
        let (user, host) = a.split_once('@').expect("user@host");
        assert!(
            !user.is_empty() && !host.is_empty() && !host.contains('.'),
            "{a}"
        );
    }
}
