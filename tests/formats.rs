//! The same article in every container, compression and encoding comes out
//! with the same body (issue 3's acceptance).

use std::io::Write;
use std::path::Path;

use crate::util::{corpus, jsonl, ok, scour};

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    e.write_all(bytes).unwrap();
    e.finish().unwrap()
}

fn run_one(dir: &Path, name: &str) -> serde_json::Value {
    let out = ok(scour(dir).args(["run", "-q", "--min-repeat", "1000", name]));
    let text = String::from_utf8(out.stdout).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(
        lines.len(),
        1,
        "{name}: expected one record, got {}",
        lines.len()
    );
    serde_json::from_str(lines[0]).unwrap()
}

#[test]
fn markdown_in_every_container_gives_the_same_record() {
    let Some(c) = corpus() else { return };
    let md = std::fs::read(c.join("markdown/seed-cisrc-ai-governance.md")).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(d.join("a.md"), &md).unwrap();
    std::fs::write(d.join("b.md.gz"), gzip(&md)).unwrap();
    std::fs::write(d.join("c.md.zst"), zstd::encode_all(&md[..], 3).unwrap()).unwrap();
    // The same article as a JSONL record: tracking parameters on its URL, an
    // extra field, the body in `content`.
    let text = String::from_utf8(md.clone()).unwrap();
    let body = text.splitn(3, "---\n").nth(2).unwrap();
    let record = serde_json::json!({
        "title": "前沿 | 把握推动我国人工智能健康发展的历史性机遇——深刻领悟习近平总书记关于人工智能的重要论述",
        "url": "http://mp.weixin.qq.com/s?__biz=MzA5MzE5MDAzOA==&mid=2664236345&idx=4&sn=d6cf4704d4d77e573e7740ac866c63d8&chksm=1234&scene=58&sessionid=99#rd",
        "account": "中国信息安全",
        "date": "2025-02-11",
        "content": body,
        "crawler_batch": {"id": 7, "tags": ["a", "b"]},
    });
    std::fs::write(d.join("d.jsonl"), format!("{record}\n")).unwrap();
    let base = run_one(d, "a.md");
    for name in ["b.md.gz", "c.md.zst", "d.jsonl"] {
        let r = run_one(d, name);
        assert_eq!(r["text"], base["text"], "{name}: body differs");
        assert_eq!(r["url"], base["url"], "{name}: url differs");
        assert_eq!(r["id"], base["id"], "{name}: id differs");
        assert_eq!(r["author"], base["author"], "{name}");
    }
    assert_eq!(
        base["url"],
        "https://mp.weixin.qq.com/s?__biz=MzA5MzE5MDAzOA==&mid=2664236345&idx=4&sn=d6cf4704d4d77e573e7740ac866c63d8"
    );
    let j = run_one(d, "d.jsonl");
    assert_eq!(
        j["crawler_batch"],
        serde_json::json!({"id": 7, "tags": ["a", "b"]}),
        "extra field passes through"
    );
    assert_eq!(j["origin"]["line"], 1);
    assert_eq!(run_one(d, "b.md.gz")["origin"]["compression"], "gzip");
}

fn warc_response(url: &str, http_body: &[u8], charset: &str) -> Vec<u8> {
    let mut http = format!(
        "HTTP/1.1 200 OK\r\nContent-Type: text/html; charset={charset}\r\nContent-Length: {}\r\n\r\n",
        http_body.len()
    )
    .into_bytes();
    http.extend_from_slice(http_body);
    let mut rec = format!(
        "WARC/1.0\r\nWARC-Type: response\r\nWARC-Target-URI: {url}\r\nWARC-Date: 2024-05-01T10:00:00Z\r\nWARC-Record-ID: <urn:uuid:1>\r\nContent-Type: application/http; msgtype=response\r\nContent-Length: {}\r\n\r\n",
        http.len()
    )
    .into_bytes();
    rec.extend_from_slice(&http);
    rec.extend_from_slice(b"\r\n\r\n");
    rec
}

#[test]
fn html_in_every_encoding_and_in_warc_gives_the_same_body() {
    let Some(c) = corpus() else { return };
    let html =
        std::fs::read_to_string(c.join("html/wechatsogou-article_detail_qqmusic.html")).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(d.join("utf8.html"), &html).unwrap();
    // GBK with a declaration, and with none (detected).
    let declared = html.replacen("<head>", "<head><meta charset=\"gbk\">", 1);
    let declared = declared
        .replace("charset=utf-8", "charset=gbk")
        .replace("charset=\"utf-8\"", "charset=\"gbk\"");
    let (gbk_decl, _, _) = encoding_rs::GBK.encode(&declared);
    std::fs::write(d.join("gbk-declared.html"), &gbk_decl).unwrap();
    let undeclared = html
        .replace("charset=utf-8", "")
        .replace("charset=\"utf-8\"", "")
        .replace("charset=UTF-8", "");
    let (gbk, _, _) = encoding_rs::GBK.encode(&undeclared);
    std::fs::write(d.join("gbk-undeclared.html"), &gbk).unwrap();
    std::fs::write(
        d.join("page.warc.gz"),
        gzip(&warc_response(
            "http://mp.weixin.qq.com/s?__biz=MzA=&mid=1&idx=1&sn=ab&scene=2",
            html.as_bytes(),
            "utf-8",
        )),
    )
    .unwrap();
    let base = run_one(d, "utf8.html");
    assert!(base["text"].as_str().unwrap().len() > 1000);
    for name in ["gbk-declared.html", "gbk-undeclared.html", "page.warc.gz"] {
        let r = run_one(d, name);
        assert_eq!(r["text"], base["text"], "{name}: body differs");
        assert_eq!(r["title"], base["title"], "{name}: title differs");
    }
    let r = run_one(d, "gbk-declared.html");
    assert_eq!(r["origin"]["encoding"], "GBK");
    assert_eq!(r["origin"]["encoding_source"], "meta");
    let r = run_one(d, "gbk-undeclared.html");
    assert_eq!(r["origin"]["encoding_source"], "detected");
    let w = run_one(d, "page.warc.gz");
    assert_eq!(w["origin"]["format"], "warc");
    assert_eq!(w["fetched"], "2024-05-01T10:00:00Z");
}

#[test]
fn every_corpus_format_is_read() {
    let Some(c) = corpus() else { return };
    let dir = tempfile::tempdir().unwrap();
    ok(scour(dir.path())
        .args(["normalize", "-q"])
        .arg(&c)
        .arg("-o")
        .arg(dir.path().join("n.jsonl"))
        .arg("--rejects")
        .arg(dir.path().join("r.jsonl")));
    let formats: std::collections::BTreeSet<String> = jsonl(&dir.path().join("n.jsonl"))
        .iter()
        .chain(jsonl(&dir.path().join("r.jsonl")).iter())
        .filter_map(|r| r["origin"]["format"].as_str().map(str::to_owned))
        .collect();
    for f in ["markdown", "html", "json", "rss"] {
        assert!(formats.contains(f), "no {f} records: {formats:?}");
    }
}

/// A JSONL dump larger than what is read whole is read a part at a time:
/// the same records as the same lines in small files, in order, with their
/// line numbers, and a gzipped copy gives them too.
#[test]
fn a_large_jsonl_dump_gives_the_records_of_its_lines() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::create_dir(d.join("small")).unwrap();
    let mut lines = Vec::new();
    let mut i = 0u32;
    let mut size = 0;
    // Past the 4 MB from which files are read in parts (src/pipeline.rs).
    while size < (4 << 20) + (300 << 10) {
        let body = format!(
            "<p>第{i}篇文章的正文。{}</p>",
            "国家互联网应急中心今日发布通报，提醒用户及时更新系统补丁。"
                .repeat(30 + i as usize % 7)
        );
        let record = serde_json::json!({
            "title": format!("标题{i}"),
            "url": format!("https://mp.weixin.qq.com/s?__biz=MzA=&mid={i}&idx=1&sn=x"),
            "content": body,
        });
        let line = if i % 97 == 13 {
            "not json".to_owned()
        } else {
            record.to_string()
        };
        size += line.len() + 1;
        lines.push(line);
        i += 1;
    }
    std::fs::write(d.join("big.jsonl"), lines.join("\n")).unwrap();
    std::fs::write(d.join("big.jsonl.gz"), gzip(lines.join("\n").as_bytes())).unwrap();
    for (k, chunk) in lines.chunks(500).enumerate() {
        std::fs::write(d.join(format!("small/{k:03}.jsonl")), chunk.join("\n")).unwrap();
    }
    let run = |input: &str, out: &str| {
        let (rej, dups) = (format!("{out}.rej"), format!("{out}.dups"));
        ok(scour(d).args([
            "run",
            input,
            "-q",
            "--min-repeat",
            "100000",
            "-o",
            out,
            "--rejects",
            &rej,
            "--dups",
            &dups,
        ]));
        let mut recs = jsonl(&d.join(out));
        recs.extend(jsonl(&d.join(&rej)));
        recs.extend(jsonl(&d.join(&dups)));
        recs
    };
    let strip_origin = |mut v: serde_json::Value| {
        v.as_object_mut().unwrap().remove("origin");
        v
    };
    let big = run("big.jsonl", "big.out");
    let small = run("small", "small.out");
    assert_eq!(big.len(), lines.len());
    // Every line once, by its number.
    let mut lines_seen: Vec<u64> = big
        .iter()
        .map(|r| r["origin"]["line"].as_u64().unwrap())
        .collect();
    lines_seen.sort_unstable();
    assert_eq!(lines_seen, (1..=lines.len() as u64).collect::<Vec<_>>());
    let clean = |v: Vec<serde_json::Value>| -> Vec<serde_json::Value> {
        let mut v: Vec<_> = v.into_iter().map(strip_origin).collect();
        v.sort_by_key(|r| r["id"].to_string());
        v
    };
    let (big, small) = (clean(big), clean(small));
    assert_eq!(big.len(), small.len());
    for (b, s) in big.iter().zip(&small) {
        if b["reject_reason"].is_null() {
            assert_eq!(b, s);
        }
    }
    let gz = clean(run("big.jsonl.gz", "gz.out"));
    assert_eq!(gz, big);
}
