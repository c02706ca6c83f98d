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
        // The address ends where a message or a quote around it goes on.
        let end = tail
            .find(|c: char| matches!(c, '\'' | '"' | '`' | '<' | '>') || c.is_whitespace())
            .unwrap_or(tail.len());
        let url = &tail[..end];
        match user_part(url) {
            Some(at) => {
                out.push_str("***");
                out.push_str(&url[at..]);
            }
            None => out.push_str(url),
        }
        rest = &tail[end..];
    }
    out.push_str(rest);
    out
}

/// Where the `@` that ends `url`'s user part is (`url` without its scheme).
fn user_part(url: &str) -> Option<usize> {
    let authority = url.find(['/', '?', '#']).unwrap_or(url.len());
    match url[..authority].rfind('@') {
        Some(0) => None,
        Some(at) => Some(at),
        // A password written with `/`, `?` or `#` in it, unescaped (`me:pa/ss@host`):
        // hiding a little too much of an address beats showing a secret.
        None if url[..authority].contains(':') => url.rfind('@').filter(|&at| at > authority),
        None => None,
    }
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

    #[test]
    fn a_password_with_a_slash_or_hash_in_it_is_hidden_too() {
        for (url, shown) in [
            ("https://me:pa/ss@host/x.git", "https://***@host/x.git"),
            ("https://me:pa#ss@host/x.git", "https://***@host/x.git"),
            ("https://me:a?b/c@host/x.git", "https://***@host/x.git"),
            (
                "could not read 'https://me:p/w@host/x.git': no",
                "could not read 'https://***@host/x.git': no",
            ),
        ] {
            assert_eq!(redact(url), shown);
        }
        for plain in ["https://host/@scope/x.git", "https://host:8080/x.git"] {
            assert_eq!(redact(plain), plain);
        }
    }
}
