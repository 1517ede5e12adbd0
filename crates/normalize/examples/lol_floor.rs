//! The floor of the HTML path: lol_html driven with the handlers the tree
//! builder registers (every element with its attributes' source locations,
//! an end-tag handler on each element that can have content, every comment
//! and the doctype with their source locations, the top element removed so
//! nothing is serialized; no text handler, as the tree reads text between
//! tokens), doing nothing with what they are handed. No tree, no
//! extraction, no decoding: what no change to our own code can go below.
//!
//! `cargo run --release -p scour-normalize --example lol_floor DIR` reads
//! every file of DIR and prints "<pages> <bytes>" (what `make bench`'s
//! floor row times; see bench/README.md).
#![allow(clippy::print_stdout, reason = "prints its count for bench/run.sh")]

use std::cell::Cell;
use std::rc::Rc;

use lol_html::html_content::{Comment, Doctype, Element};
use lol_html::{element, DocumentContentHandlers, HtmlRewriter, Settings};

fn main() -> std::io::Result<()> {
    let dir = std::env::args().nth(1).unwrap_or_else(|| ".".to_owned());
    let mut paths: Vec<_> = std::fs::read_dir(&dir)?
        .map(|e| e.map(|e| e.path()))
        .collect::<Result<_, _>>()?;
    paths.sort();
    // What the handlers saw, summed so that none of it is optimized away.
    let seen = Rc::new(Cell::new(0_usize));
    let (mut pages, mut bytes) = (0_usize, 0_usize);
    for path in paths.iter().filter(|p| p.is_file()) {
        let page = std::fs::read(path)?;
        let (on_element, on_comment, on_doctype) =
            (Rc::clone(&seen), Rc::clone(&seen), Rc::clone(&seen));
        let top = Rc::new(Cell::new(true));
        let settings = Settings::new()
            .with_strict(false)
            .append_element_content_handler(element!("*", move |el: &mut Element<'_, '_>| {
                let mut n = el.source_location().bytes().len();
                for a in el.attributes() {
                    n += a.name_source_location().map_or(0, |l| l.bytes().len());
                    n += a.value_source_location().map_or(0, |l| l.bytes().len());
                }
                on_element.set(on_element.get() + n);
                if el.can_have_content() {
                    if top.replace(false) {
                        el.remove();
                    }
                    let ended = Rc::clone(&on_element);
                    el.on_end_tag(Box::new(move |end| {
                        ended.set(ended.get() + end.source_location().bytes().start);
                        Ok(())
                    }))?;
                }
                Ok(())
            }))
            .append_document_content_handler(
                DocumentContentHandlers::default()
                    .comments(move |c: &mut Comment<'_>| {
                        on_comment.set(on_comment.get() + c.source_location().bytes().start);
                        Ok(())
                    })
                    .doctype(move |d: &mut Doctype<'_>| {
                        on_doctype.set(on_doctype.get() + d.source_location().bytes().start);
                        Ok(())
                    }),
            );
        let mut rewriter = HtmlRewriter::new(settings, |_: &[u8]| {});
        if rewriter.write(&page).is_ok() {
            let _ = rewriter.end();
        }
        pages += 1;
        bytes += page.len();
    }
    std::hint::black_box(seen.get());
    println!("{pages} {bytes}");
    Ok(())
}
