//! RSS and Atom feeds.
use scour_record::{Doc, Origin};

use crate::options::Options;

pub(crate) fn parse(_data: &[u8], origin: &Origin, _opts: &Options) -> Vec<Doc> {
    vec![Doc::rejected(origin.clone(), "unsupported: feeds are not read yet")]
}
