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
    // SAFETY: getpwuid returns a pointer into static storage or null; we copy the name
    // out before any other call could overwrite it.
    unsafe {
        let pw = libc::getpwuid(libc::getuid());
        if pw.is_null() || (*pw).pw_name.is_null() {
            return "unknown".into();
        }
        std::ffi::CStr::from_ptr((*pw).pw_name)
            .to_string_lossy()
            .into_owned()
    }
}

fn host_name() -> String {
    let mut buf = [0u8; 256];
    // SAFETY: gethostname writes at most buf.len() bytes into buf.
    let ok = unsafe { libc::gethostname(buf.as_mut_ptr().cast(), buf.len()) } == 0;
    if !ok {
        return "localhost".into();
    }
    let end = buf.iter().position(|&b| b == 0).unwrap_or(buf.len());
    let name = String::from_utf8_lossy(&buf[..end]).into_owned();
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
