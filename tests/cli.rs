//! The command line as a user meets it: exit codes, messages, atomic outputs,
//! accounting, reruns.

use std::path::Path;

use crate::util::{jsonl, ok, on_terminal, root, scour};

fn write(dir: &Path, name: &str, body: &[u8]) {
    let p = dir.join(name);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, body).unwrap();
}

const ARTICLE: &str = "---\ntitle: 标题\nurl: http://mp.weixin.qq.com/s?__biz=MzA=&mid=1&idx=1&sn=ab&chksm=zz\nsource: 某号\ndate: 2025-01-02\n---\n\n# 标题\n\n这是正文的第一段，足够长，可以被认作文章的正文段落，而不是页面的装饰。\n\n预览时标签不可点\n\n微信扫一扫\n关注该公众号\n";

#[test]
fn missing_input_fails_with_a_fix() {
    let dir = tempfile::tempdir().unwrap();
    let out = scour(dir.path())
        .args(["run", "no-such-dump"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("no-such-dump") && err.contains("check the path"),
        "{err}"
    );
    assert_eq!(err.lines().count(), 1, "{err}");
}

#[test]
fn bad_flag_value_is_a_usage_error() {
    let dir = tempfile::tempdir().unwrap();
    let out = scour(dir.path())
        .args(["dedup", "--threshold", "1.5"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("0.8"));
}

#[test]
fn unwritable_output_fails_and_leaves_nothing() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "d/a.md", ARTICLE.as_bytes());
    let out = scour(dir.path())
        .args(["run", "d", "-o", "missing-dir/out.jsonl"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("missing-dir"), "{err}");
    assert!(!dir.path().join("missing-dir").exists());
}

#[test]
fn bad_rules_file_fails() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "d/a.md", ARTICLE.as_bytes());
    write(
        dir.path(),
        "r.toml",
        b"[[rule]]\nname = 'x'\nfamily = 'chrome'\nmatch = 'exact'\npatterns = ['(']\n",
    );
    let out = scour(dir.path())
        .args(["run", "d", "--rules", "r.toml", "-o", "o.jsonl"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(!dir.path().join("o.jsonl").exists());
    assert!(String::from_utf8_lossy(&out.stderr).contains("rule x"));
}

#[test]
fn bad_inputs_are_rejects_and_the_run_goes_on() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(d, "in/good.md", ARTICLE.as_bytes());
    write(d, "in/empty.md", b"");
    write(d, "in/junk.bin", b"\x00\x01\x02\x03\xff\xfe\x00\x00binary");
    write(d, "in/broken.md.gz", b"\x1f\x8b\x08\x00garbage");
    write(
        d,
        "in/unterminated.md",
        "---\ntitle: 没有结束\n\n正文".as_bytes(),
    );
    write(
        d,
        "in/records.jsonl",
        "{\"title\":\"一\",\"text\":\"第一条记录的正文，足够长，可以被认作文章的正文段落，不是装饰。\"}\nnot json\n[1]\n{\"title\":\"二\",\"text\":\"第二条记录的正文，也足够长，可以被认作文章的正文段落，不是装饰。\"}\n".as_bytes(),
    );
    let out = ok(scour(d).args([
        "run",
        "in",
        "-o",
        "k.jsonl",
        "--rejects",
        "r.jsonl",
        "--report",
        "rep.json",
    ]));
    let err = String::from_utf8_lossy(&out.stderr);
    let report: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(d.join("rep.json")).unwrap()).unwrap();
    assert_eq!(report["read"], 9, "{report}");
    assert_eq!(report["kept"], 3, "{report}");
    assert_eq!(report["rejected"], 6, "{report}");
    let rejects = jsonl(&d.join("r.jsonl"));
    assert_eq!(rejects.len(), 6);
    for r in &rejects {
        assert!(
            r["origin"]["path"].as_str().unwrap().starts_with("in/"),
            "{r}"
        );
        let reason = r["reject_reason"].as_str().unwrap();
        assert!(
            ["empty", "binary", "corrupt", "parse"].contains(&reason),
            "one word of POLICY's list, the detail apart: {r}"
        );
    }
    let lines: Vec<_> = rejects
        .iter()
        .filter_map(|r| r["origin"]["line"].as_u64())
        .collect();
    assert_eq!(lines, [2, 3], "bad JSONL lines named by number");
    assert!(err.contains("in/records.jsonl:2"), "{err}");
    assert!(err.lines().last().unwrap().contains("read 9"), "{err}");
}

/// Issue 15: a FIFO inside a walked directory is a `not-a-file` reject (it
/// is never opened: reading it would wait forever), not skipped in silence.
#[cfg(unix)]
#[test]
fn special_files_in_a_walked_directory_are_rejects() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(d, "in/good.md", ARTICLE.as_bytes());
    let fifo = d.join("in/pipe.md");
    let made = std::process::Command::new("mkfifo").arg(&fifo).status();
    assert!(made.is_ok_and(|s| s.success()), "mkfifo");
    let out = ok(scour(d).args(["run", "in", "-o", "k.jsonl", "--rejects", "r.jsonl"]));
    let rejects = jsonl(&d.join("r.jsonl"));
    assert_eq!(rejects.len(), 1, "{rejects:?}");
    assert_eq!(rejects[0]["reject_reason"], "not-a-file");
    assert_eq!(rejects[0]["origin"]["path"], "in/pipe.md");
    assert!(rejects[0]["reject_detail"].is_string());
    assert_eq!(jsonl(&d.join("k.jsonl")).len(), 1);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("in/pipe.md: not-a-file"), "{err}");
}

/// Files under `dir`, however deep.
fn count_files(dir: &std::path::Path) -> usize {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .map(|p| if p.is_dir() { count_files(&p) } else { 1 })
        .sum()
}

#[test]
fn rerun_rewrites_identical_bytes_and_report_adds_up() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let args = |o: &str| {
        vec![
            "run".to_owned(),
            root().join("samples/dumps").display().to_string(),
            "-q".into(),
            "-o".into(),
            o.into(),
            "--report".into(),
            format!("{o}.report.json"),
            "--text-dir".into(),
            format!("{o}.txt"),
        ]
    };
    ok(scour(d).args(args("a.jsonl")));
    ok(scour(d).args(args("b.jsonl")));
    assert_eq!(
        std::fs::read(d.join("a.jsonl")).unwrap(),
        std::fs::read(d.join("b.jsonl")).unwrap()
    );
    let kept = jsonl(&d.join("a.jsonl")).len();
    let texts = count_files(&d.join("a.jsonl.txt"));
    assert_eq!(kept, texts, "--text-dir writes one file per kept record");
    let report: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(d.join("a.jsonl.report.json")).unwrap())
            .unwrap();
    assert_eq!(report["balanced"], true);
}

#[test]
fn summary_line_on_a_non_terminal_and_quiet_silences_it() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "d/a.md", ARTICLE.as_bytes());
    let out = ok(scour(dir.path()).args(["run", "d", "-o", "o.jsonl"]));
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.starts_with("scour run: read 1 "), "{err}");
    assert!(
        !err.contains('\r') && !err.contains('\x1b'),
        "no progress drawing off a terminal"
    );
    let out = ok(scour(dir.path()).args(["run", "d", "-q", "-o", "o.jsonl"]));
    assert!(out.stderr.is_empty());
}

#[test]
fn explain_names_each_rule() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "d/a.md", ARTICLE.as_bytes());
    let out = ok(scour(dir.path()).args(["run", "d", "--explain", "-o", "o.jsonl"]));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("预览时标签不可点") && err.contains("wechat/page-tail"),
        "{err}"
    );
}

#[test]
fn stdin_dash_reads_a_dump() {
    let dir = tempfile::tempdir().unwrap();
    let mut child = scour(dir.path())
        .args(["run", "-", "-q"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    std::io::Write::write_all(&mut child.stdin.take().unwrap(), ARTICLE.as_bytes()).unwrap();
    let out = child.wait_with_output().unwrap();
    let rec: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        rec["url"],
        "https://mp.weixin.qq.com/s?__biz=MzA=&mid=1&idx=1&sn=ab"
    );
    assert_eq!(rec["origin"]["path"], "-");
}

/// `-o -` writes the records to stdout, as `-` reads stdin; no file named
/// `-` appears.
#[test]
fn dash_output_is_stdout() {
    let dir = tempfile::tempdir().unwrap();
    let mut child = scour(dir.path())
        .args(["run", "-", "-q", "-o", "-"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    std::io::Write::write_all(&mut child.stdin.take().unwrap(), ARTICLE.as_bytes()).unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success());
    let rec: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(rec["origin"]["path"], "-");
    assert!(!dir.path().join("-").exists());
}

/// Issue 16: what is read from stdin counts in `input_bytes` and in the
/// summary, for dumps (`run`) and for records (`strip`), instead of `0 B`.
#[test]
fn stdin_bytes_are_counted() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(d, "a.md", ARTICLE.as_bytes());
    ok(scour(d).args(["normalize", "a.md", "-q", "-o", "a.jsonl"]));
    for (args, input) in [
        (["run", "-o", "o.jsonl", "--report", "r.json"], "a.md"),
        (["strip", "-o", "o.jsonl", "--report", "r.json"], "a.jsonl"),
    ] {
        let size = std::fs::metadata(d.join(input)).unwrap().len();
        assert!(size < 1000, "the summary shows it in bytes");
        let out = ok(scour(d)
            .args(args)
            .stdin(std::fs::File::open(d.join(input)).unwrap()));
        let report: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(d.join("r.json")).unwrap()).unwrap();
        assert_eq!(report["input_bytes"], size, "{args:?}: {report}");
        assert_eq!(
            report["record_schema"],
            scour_record::SCHEMA_VERSION,
            "{report}"
        );
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(&format!("from 1 files ({size} B)")), "{err}");
    }
}

/// Issue 16: with no input named and a terminal on stdin, scour does not
/// wait in silence: it is a usage error saying what to pass, and no output
/// is written.
#[test]
fn no_input_on_a_terminal_is_a_usage_error() {
    let dir = tempfile::tempdir().unwrap();
    for command in ["run", "normalize", "strip", "dedup"] {
        let line = format!("{} {command} -o o.jsonl", env!("CARGO_BIN_EXE_scour"));
        let out = on_terminal(dir.path(), &line);
        let seen = String::from_utf8_lossy(&out.stdout);
        assert_eq!(out.status.code(), Some(2), "{command}: {seen}");
        assert!(
            seen.contains("stdin is a terminal") && seen.contains("pass `-`"),
            "{command}: {seen}"
        );
        assert!(seen.contains(&format!("scour {command}")), "{seen}");
        assert!(!dir.path().join("o.jsonl").exists(), "{command}");
    }
}

#[test]
fn help_and_man_and_completions() {
    let dir = tempfile::tempdir().unwrap();
    let help = String::from_utf8(ok(scour(dir.path()).args(["help", "run"])).stdout).unwrap();
    assert!(
        help.contains("Examples:") && help.contains("--index"),
        "{help}"
    );
    assert!(help.contains("[default: 0.8]"));
    assert!(
        help.contains("[default: 5]")
            && help.contains("[default: url link content_url source_url]"),
        "{help}"
    );
    let man = ok(scour(dir.path()).arg("man")).stdout;
    let man = String::from_utf8_lossy(&man);
    assert!(
        man.contains(".TH") && man.contains("scour\\-run(1)"),
        "{man}"
    );
    // Every page the top page points to exists (issue 16).
    let run = ok(scour(dir.path()).args(["man", "run"])).stdout;
    let run = String::from_utf8_lossy(&run);
    assert!(
        run.contains(".TH scour-run") && run.contains("\\-\\-min\\-repeat"),
        "{run}"
    );
    ok(scour(dir.path()).args(["man", "--dir", "pages"]));
    for page in [
        "scour.1",
        "scour-run.1",
        "scour-normalize.1",
        "scour-strip.1",
        "scour-dedup.1",
    ] {
        assert!(dir.path().join("pages").join(page).is_file(), "{page}");
    }
    let bad = scour(dir.path()).args(["man", "nope"]).output().unwrap();
    assert!(
        !bad.status.success()
            && String::from_utf8_lossy(&bad.stderr).contains("no subcommand `nope`")
    );
    let comp = ok(scour(dir.path()).args(["completions", "bash"])).stdout;
    assert!(String::from_utf8_lossy(&comp).contains("scour"));
}

/// Ctrl-C mid-run: the previous output stays as it was and no temporary
/// file is left beside it. The run reads stdin, which stays open, so the
/// signal surely comes mid-run however fast the machine.
#[cfg(unix)]
#[test]
fn interrupt_leaves_previous_output_and_no_temp() {
    use std::io::Write as _;
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(d.join("out.jsonl"), "previous\n").unwrap();
    let mut child = scour(d)
        .args(["run", "-", "-q", "-o", "out.jsonl"])
        .stdin(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    stdin.write_all(ARTICLE.as_bytes()).unwrap();
    stdin.flush().unwrap();
    // The temporary output exists once the run has started.
    let started = std::time::Instant::now();
    while !std::fs::read_dir(d)
        .unwrap()
        .any(|e| e.is_ok_and(|e| e.file_name().to_string_lossy().ends_with(".tmp")))
    {
        assert!(started.elapsed().as_secs() < 30, "the run never started");
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    let _ = std::process::Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status();
    let status = child.wait().unwrap();
    drop(stdin);
    let leftovers: Vec<_> = std::fs::read_dir(d)
        .unwrap()
        .filter_map(|e| e.ok().map(|e| e.file_name().to_string_lossy().into_owned()))
        .filter(|n| n.ends_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty(), "temporary files left: {leftovers:?}");
    assert_eq!(status.code(), Some(130));
    assert_eq!(
        std::fs::read_to_string(d.join("out.jsonl")).unwrap(),
        "previous\n"
    );
}

/// Issue 14: the id of a record without a URL hashes its path relative to
/// the input argument, so the same folder reached by two different paths
/// (two copies, a symlink, a relative or an absolute argument) gives the
/// same ids and the same `duplicate_of`; a file named as the argument hashes
/// its own name, as it does when its folder is the argument.
#[test]
fn ids_do_not_depend_on_where_the_input_lives() {
    let no_url = "---\ntitle: 无链接\n---\n\n这一篇没有链接，它的标识由路径和正文得出，而路径是相对于输入参数的。\n";
    let other = "---\ntitle: 另一篇\n---\n\n另一篇同样没有链接的文章，正文不同，放在子目录里，标识也只看相对路径。\n";
    let records = "{\"text\":\"第一行记录的正文，没有链接，由文件的相对路径和行号区分。\"}\n{\"text\":\"第二行记录的正文，也没有链接，由文件的相对路径和行号区分。\"}\n";
    let tree = |d: &Path| {
        write(d, "a.md", no_url.as_bytes());
        write(d, "sub/b.md", other.as_bytes());
        write(d, "sub/copy-of-a.md", no_url.as_bytes());
        write(d, "sub/deeper/records.jsonl", records.as_bytes());
        write(d, "with-url.md", ARTICLE.as_bytes());
    };
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    tree(&d.join("one/dumps"));
    tree(&d.join("two/elsewhere/named-differently"));
    #[cfg(unix)]
    std::os::unix::fs::symlink(d.join("one/dumps"), d.join("link")).unwrap();
    // Each record of each output as (id, duplicate_of), in order.
    let ids = |cwd: &Path, arg: &str, tag: &str| {
        let o = d.join(format!("out-{tag}"));
        std::fs::create_dir_all(&o).unwrap();
        ok(scour(cwd)
            .args(["run", arg, "-q", "-o"])
            .arg(o.join("c.jsonl"))
            .arg("--dups")
            .arg(o.join("d.jsonl"))
            .arg("--rejects")
            .arg(o.join("r.jsonl")));
        ["c.jsonl", "d.jsonl", "r.jsonl"]
            .iter()
            .map(|n| {
                jsonl(&o.join(n))
                    .iter()
                    .map(|r| {
                        (
                            r["id"].as_str().unwrap().to_owned(),
                            r["duplicate_of"].as_str().map(str::to_owned),
                        )
                    })
                    .collect::<Vec<_>>()
            })
            .collect::<Vec<_>>()
    };
    let want = ids(d, "one/dumps", "relative");
    assert_eq!(want[0].len(), 5, "{want:?}");
    assert_eq!(want[1].len(), 1, "the copy is a duplicate: {want:?}");
    let abs = d.join("two/elsewhere/named-differently");
    assert_eq!(ids(d, abs.to_str().unwrap(), "copy"), want);
    assert_eq!(ids(&d.join("one/dumps"), ".", "dot"), want);
    #[cfg(unix)]
    assert_eq!(ids(d, "link/", "symlink"), want);
    // A file argument: its name, as when its folder is the argument.
    let single = ids(&d.join("one"), "dumps/a.md", "file");
    assert_eq!(single[0][0], want[0][0]);
}
