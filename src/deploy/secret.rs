//! Keeping credentials out of what glyph prints and stores: a remote such as
//! `https://user:token@host/repo.git` is shown, recorded and hashed as
//! `https://***@host/repo.git`, and so is any URL in what git says.

/// `text` with the user part of every `scheme://user@host` URL in it replaced by `***`.
/// The user part alone can be the secret (`https://ghp_…@github.com/`), so all of it goes.
pub(crate) fn redact(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(i) = rest.find("://") {
        let (head, tail) = rest.split_at(i + 3);
        out.push_str(head);
        let end = tail
            .find(|c: char| {
                matches!(c, '/' | '?' | '#' | '\'' | '"' | '`' | '<' | '>') || c.is_whitespace()
            })
            .unwrap_or(tail.len());
        let authority = &tail[..end];
        match authority.rfind('@') {
            Some(at) if at > 0 => {
                out.push_str("***");
                out.push_str(&authority[at..]);
            }
            _ => out.push_str(authority),
        }
        rest = &tail[end..];
    }
    out.push_str(rest);
    out
}

/// Whether `remote` carries a user name, password or token in it.
pub(crate) fn has_credentials(remote: &str) -> bool {
    redact(remote) != remote
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn user_parts_of_urls_are_hidden_and_nothing_else_changes() {
        assert_eq!(
            redact("https://me:s3cret@example.org/x.git"),
            "https://***@example.org/x.git"
        );
        assert_eq!(
            redact("fatal: unable to access 'https://ghp_abc@github.com/me/site.git/': 403"),
            "fatal: unable to access 'https://***@github.com/me/site.git/': 403"
        );
        assert_eq!(
            redact("a http://u:p@h b https://v:q@i/path"),
            "a http://***@h b https://***@i/path"
        );
        for plain in [
            "git@github.com:me/site.git",
            "https://github.com/me/site.git",
            "/srv/git/site.git",
            "mail me@example.org",
            "a://",
        ] {
            assert_eq!(redact(plain), plain);
            assert!(!has_credentials(plain));
        }
        assert!(has_credentials(
            "https://x-access-token:t@github.com/me/s.git"
        ));
    }
}
