//! `files.storage_path`: a Supabase Storage reference becomes a path under the
//! local storage root.
//!
//! The forms MAPPING.md names: a bucket key, `life-os-files/<key>`, and Storage
//! URLs `.../storage/v1/object/{public,sign,authenticated}/life-os-files/<key>`
//! (query dropped, key percent-decoded). A key that is empty, absolute, has a
//! `..` segment, a backslash or a NUL, or a URL of another bucket is refused:
//! no input may produce a path outside the root.

/// The Supabase Storage bucket Life OS v1 keeps its files in.
pub const BUCKET: &str = "life-os-files";
/// Where v2 keeps them unless `--storage-root` says otherwise.
pub const DEFAULT_ROOT: &str = "/opt/lifeos/storage/files";

/// Why a `storage_path` value cannot become a path under the root.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum BadStoragePath {
    /// The field is NULL where a path is required.
    Null,
    UrlNotUtf8,
    /// The URL (given) is not under `/storage/v1/object/`.
    NotObjectUrl(String),
    /// The URL (given) is not a public, sign or authenticated object URL.
    UrlKind(String),
    /// The bucket the URL names.
    OtherBucket(String),
    BadPercentEscape,
    EmptyKey,
    AbsoluteKey,
    Backslash,
    Nul,
    DotDot,
    KeyNotUtf8,
}

impl std::fmt::Display for BadStoragePath {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            BadStoragePath::Null => f.write_str("storage_path is NULL"),
            BadStoragePath::UrlNotUtf8 => f.write_str("storage URL is not valid UTF-8"),
            BadStoragePath::NotObjectUrl(url) => {
                write!(f, "URL is not a Supabase Storage object URL: {url}")
            }
            BadStoragePath::UrlKind(url) => write!(
                f,
                "Storage URL kind is not public, sign or authenticated: {url}"
            ),
            BadStoragePath::OtherBucket(bucket) => {
                write!(f, "Storage URL names bucket {bucket:?}, not {BUCKET:?}")
            }
            BadStoragePath::BadPercentEscape => f.write_str("bad percent-escape in Storage URL"),
            BadStoragePath::EmptyKey => f.write_str("storage key is empty"),
            BadStoragePath::AbsoluteKey => f.write_str("storage key is an absolute path"),
            BadStoragePath::Backslash => f.write_str("storage key contains a backslash"),
            BadStoragePath::Nul => f.write_str("storage key contains a NUL byte"),
            BadStoragePath::DotDot => {
                f.write_str("storage key has a `..` segment and would leave the storage root")
            }
            BadStoragePath::KeyNotUtf8 => f.write_str("storage key is not valid UTF-8"),
        }
    }
}

impl std::error::Error for BadStoragePath {}

const OBJECT_PATH: &str = "/storage/v1/object/";
const ACCESS_KINDS: [&str; 3] = ["public/", "sign/", "authenticated/"];

/// Extracts the bucket key from a v1 `storage_path` value.
pub fn key(value: &[u8]) -> Result<Vec<u8>, BadStoragePath> {
    let is_url = value.starts_with(b"https://") || value.starts_with(b"http://");
    let key = if is_url {
        url_key(value)?
    } else if let Some(k) = value.strip_prefix(format!("{BUCKET}/").as_bytes()) {
        k.to_vec()
    } else {
        value.to_vec()
    };
    check_key(&key)?;
    Ok(key)
}

/// The v2 value: `<root>/<key>`.
pub fn rewrite(value: &[u8], root: &str) -> Result<Vec<u8>, BadStoragePath> {
    let key = key(value)?;
    let mut out = Vec::with_capacity(root.len() + 1 + key.len());
    out.extend_from_slice(root.trim_end_matches('/').as_bytes());
    out.push(b'/');
    out.extend_from_slice(&key);
    Ok(out)
}

fn url_key(url: &[u8]) -> Result<Vec<u8>, BadStoragePath> {
    let text = std::str::from_utf8(url).map_err(|_| BadStoragePath::UrlNotUtf8)?;
    let path = text.split(['?', '#']).next().unwrap_or("");
    let Some(at) = path.find(OBJECT_PATH) else {
        return Err(BadStoragePath::NotObjectUrl(text.to_string()));
    };
    let rest = &path[at + OBJECT_PATH.len()..];
    let Some(rest) = ACCESS_KINDS.iter().find_map(|k| rest.strip_prefix(k)) else {
        return Err(BadStoragePath::UrlKind(text.to_string()));
    };
    let (bucket, key) = rest.split_once('/').unwrap_or((rest, ""));
    if bucket != BUCKET {
        return Err(BadStoragePath::OtherBucket(bucket.to_string()));
    }
    percent_decode(key.as_bytes())
}

fn percent_decode(s: &[u8]) -> Result<Vec<u8>, BadStoragePath> {
    let mut out = Vec::with_capacity(s.len());
    let mut i = 0;
    while i < s.len() {
        if s[i] == b'%' {
            let hex = s
                .get(i + 1..i + 3)
                .and_then(|h| std::str::from_utf8(h).ok());
            let v = hex.and_then(|h| u8::from_str_radix(h, 16).ok());
            let Some(v) = v else {
                return Err(BadStoragePath::BadPercentEscape);
            };
            out.push(v);
            i += 3;
        } else {
            out.push(s[i]);
            i += 1;
        }
    }
    Ok(out)
}

fn check_key(key: &[u8]) -> Result<(), BadStoragePath> {
    if key.is_empty() {
        return Err(BadStoragePath::EmptyKey);
    }
    if key[0] == b'/' {
        return Err(BadStoragePath::AbsoluteKey);
    }
    if key.contains(&b'\\') {
        return Err(BadStoragePath::Backslash);
    }
    if key.contains(&0) {
        return Err(BadStoragePath::Nul);
    }
    if key.split(|&b| b == b'/').any(|seg| seg == b"..") {
        return Err(BadStoragePath::DotDot);
    }
    if std::str::from_utf8(key).is_err() {
        return Err(BadStoragePath::KeyNotUtf8);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEY: &str =
        "8c1e0000-0000-4000-8000-000000000001/3f2a0000-0000-4000-8000-000000000002_report.pdf";

    fn rw(v: &str) -> Result<String, BadStoragePath> {
        rewrite(v.as_bytes(), DEFAULT_ROOT).map(|b| String::from_utf8(b).unwrap())
    }

    #[test]
    fn every_valid_form_lands_under_the_root() {
        let want = format!("{DEFAULT_ROOT}/{KEY}");
        let host = "https://abcdefghijklmnop.supabase.co/storage/v1/object";
        for form in [
            KEY.to_string(),
            format!("life-os-files/{KEY}"),
            format!("{host}/public/life-os-files/{KEY}"),
            format!("{host}/sign/life-os-files/{KEY}?token=eyJhbGciOi.x.y"),
            format!("{host}/authenticated/life-os-files/{KEY}"),
        ] {
            assert_eq!(rw(&form).unwrap(), want, "{form}");
        }
    }

    #[test]
    fn url_keys_are_percent_decoded() {
        let url =
            "https://x.supabase.co/storage/v1/object/public/life-os-files/a/my%20caf%C3%A9.pdf";
        assert_eq!(rw(url).unwrap(), format!("{DEFAULT_ROOT}/a/my café.pdf"));
    }

    #[test]
    fn root_trailing_slash_is_not_doubled() {
        assert_eq!(rewrite(b"a/b", "/srv/files/").unwrap(), b"/srv/files/a/b");
    }

    #[test]
    fn escapes_from_the_root_are_refused() {
        let host = "https://x.supabase.co/storage/v1/object/public";
        for bad in [
            "",
            "/etc/passwd",
            "a/../../etc/passwd",
            "..",
            "a\\b",
            "a\0b",
            "life-os-files/",
            &format!("{host}/other-bucket/{KEY}"),
            &format!("{host}/life-os-files/a/%2E%2E/%2E%2E/etc"),
            &format!("{host}/life-os-files/%2Fetc/passwd"),
            &format!("{host}/life-os-files/a%5Cb"),
            &format!("{host}/life-os-files/a%00b"),
            &format!("{host}/life-os-files/a%zz"),
            "https://example.com/files/a.pdf",
            "https://x.supabase.co/storage/v1/object/list/life-os-files/a",
        ] {
            assert!(rw(bad).is_err(), "{bad:?} must be refused");
        }
    }
}
