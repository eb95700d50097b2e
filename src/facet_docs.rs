//! facets: every paragraph's facet values as numbers, stored beside the index
//! (`facet-docs.bin`), so that counting facets over the matches of a query reads a few words
//! per match instead of tantivy's multi-valued columns and each segment's dictionaries.
//!
//! The file is derived data, written after a build or an update ([`crate::facets`]), like the
//! stored counts: the index is complete without it, a count falls back to the columns for a
//! segment it does not describe, and a file that does not decode, or was made with another
//! person map, is ignored. It is read through tantivy's memory-mapped directory, so a search
//! touches only the pages of the documents it counts.
//!
//! Layout (little-endian u32 unless said otherwise), written in one pass per array so that a
//! build holds only the value names in memory, not the arrays (they grow with the corpus):
//!
//! ```text
//! magic "NXFDOC02" · person map hash (u64) · segment count
//! per segment: uuid (32 ASCII bytes) · max_doc m · m + 1 entries (article key, persons
//!     start, countries start) · persons ids · countries ids
//! per field (persons, countries): name count n · n + 1 text offsets · the names' UTF-8 text
//! where the names start (u64)
//! ```
//!
//! A document's values in a field are the ids from its entry's start to the next entry's,
//! each value once (the last entry holds the totals). Its article key is the segment ord of
//! its article id plus one: an article's paragraphs are consecutive documents, so distinct
//! articles among the matches are counted by comparing a match's key with the previous one's.

use rustc_hash::FxHashMap as HashMap;
use tantivy::directory::OwnedBytes;

/// File in a generation with the facet values of every document ([`FacetDocs`]).
pub const FACET_DOCS: &str = "facet-docs.bin";

const MAGIC: &[u8; 8] = b"NXFDOC02";

/// The facet fields a file holds, in order: persons (canonical names, with the candidate
/// surnames the corpus-wide map resolves) and countries (ISO codes).
pub const FIELDS: usize = 2;

fn u32_at(b: &[u8], pos: usize) -> Option<u32> {
    let s = b.get(pos..pos.checked_add(4)?)?;
    Some(u32::from_le_bytes([s[0], s[1], s[2], s[3]]))
}

/// A field's names: where its offsets and its text start.
#[derive(Debug, Clone, Copy)]
struct Names {
    count: usize,
    offsets: usize,
    text: usize,
}

/// Where one segment's arrays are in a [`FacetDocs`] file ([`FacetDocs::segment`]).
#[derive(Debug, Clone, Copy)]
pub struct SegmentAt {
    max_doc: u32,
    /// Byte position of the document table (m + 1 entries of 3 words).
    table: usize,
    /// Per field: byte position of its ids and their number.
    ids: [(usize, usize); FIELDS],
}

/// A decoded (memory-mapped) [`FACET_DOCS`] file.
pub struct FacetDocs {
    bytes: OwnedBytes,
    names: [Names; FIELDS],
    segments: HashMap<String, SegmentAt>,
    /// Count arrays of finished counts, all zero: a count reuses one instead of allocating
    /// and clearing an array as long as all values (per field).
    tallies: [std::sync::Mutex<Vec<Vec<Tally>>>; FIELDS],
}

impl std::fmt::Debug for FacetDocs {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FacetDocs")
            .field("bytes", &self.bytes.len())
            .field("segments", &self.segments.len())
            .finish()
    }
}

/// Per value: paragraphs, articles, and the key of the last article counted (0: none).
pub type Tally = [u32; 3];

impl FacetDocs {
    /// Decodes a file's header (names and segment directory; the arrays are read when used).
    /// `None` when it is not such a file, is cut short, or was made with another person map.
    pub fn decode(bytes: OwnedBytes, map_hash: u64) -> Option<FacetDocs> {
        let b = bytes.as_slice();
        if b.get(..8)? != MAGIC || u64::from_le_bytes(b.get(8..16)?.try_into().ok()?) != map_hash {
            return None;
        }
        let names_at = b.len().checked_sub(8)?;
        let names_start =
            usize::try_from(u64::from_le_bytes(b[names_at..].try_into().ok()?)).ok()?;
        let n_segments = u32_at(b, 16)? as usize;
        let mut p = 20usize;
        let mut segments = HashMap::default();
        for _ in 0..n_segments {
            let uuid = std::str::from_utf8(b.get(p..p.checked_add(32)?)?).ok()?;
            let max_doc = u32_at(b, p + 32)?;
            let m = max_doc as usize;
            let table = p + 36;
            let last = table.checked_add(m.checked_mul(12)?)?;
            let totals = [u32_at(b, last + 4)? as usize, u32_at(b, last + 8)? as usize];
            p = last + 12;
            let mut ids = [(0, 0); FIELDS];
            for (f, n) in totals.into_iter().enumerate() {
                ids[f] = (p, n);
                p = p.checked_add(n.checked_mul(4)?)?;
            }
            if p > names_start {
                return None;
            }
            segments.insert(
                uuid.to_string(),
                SegmentAt {
                    max_doc,
                    table,
                    ids,
                },
            );
        }
        if p != names_start {
            return None;
        }
        let mut names = [Names {
            count: 0,
            offsets: 0,
            text: 0,
        }; FIELDS];
        for n in &mut names {
            let count = u32_at(b, p)? as usize;
            let offsets = p + 4;
            let text = offsets.checked_add(count.checked_add(1)?.checked_mul(4)?)?;
            let text_len = u32_at(b, offsets + count * 4)? as usize;
            p = text.checked_add(text_len)?;
            if p > names_at {
                return None;
            }
            *n = Names {
                count,
                offsets,
                text,
            };
        }
        (p == names_at).then(|| FacetDocs {
            bytes,
            names,
            segments,
            tallies: Default::default(),
        })
    }

    /// Where a segment's arrays are, when the file describes it (same uuid and number of
    /// documents).
    pub fn segment(&self, uuid: &str, max_doc: u32) -> Option<SegmentAt> {
        let at = *self.segments.get(uuid)?;
        (at.max_doc == max_doc).then_some(at)
    }

    /// The arrays of a segment this file describes ([`FacetDocs::segment`]).
    pub fn docs(&self, at: SegmentAt) -> SegmentDocs<'_> {
        let b = self.bytes.as_slice();
        let part = |from: usize, words: usize| b.get(from..from + words * 4).unwrap_or(&[]);
        SegmentDocs {
            table: part(at.table, (at.max_doc as usize + 1) * 3),
            ids: at.ids.map(|(from, n)| part(from, n)),
        }
    }

    /// Number of distinct values of field `f`.
    pub fn len(&self, f: usize) -> usize {
        self.names.get(f).map_or(0, |n| n.count)
    }

    /// The name of value `id` of field `f` ("" when out of range or not UTF-8: a damaged file
    /// shows a blank name instead of failing a search).
    pub fn name(&self, f: usize, id: u32) -> &str {
        let b = self.bytes.as_slice();
        let Some(n) = self.names.get(f) else {
            return "";
        };
        let i = id as usize;
        if i >= n.count {
            return "";
        }
        let (Some(s), Some(e)) = (
            u32_at(b, n.offsets + i * 4),
            u32_at(b, n.offsets + i * 4 + 4),
        ) else {
            return "";
        };
        b.get(n.text + s as usize..n.text + e as usize)
            .and_then(|t| std::str::from_utf8(t).ok())
            .unwrap_or("")
    }

    /// An array of one empty tally per value of field `f`.
    pub fn take_tallies(&self, f: usize) -> Vec<Tally> {
        let mut v = self.tallies[f]
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .pop()
            .unwrap_or_default();
        v.resize(self.len(f), [0; 3]);
        v
    }

    /// Returns an array whose tallies are all empty again.
    pub fn give_back_tallies(&self, f: usize, v: Vec<Tally>) {
        let mut pool = self.tallies[f]
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if pool.len() < 4 {
            pool.push(v);
        }
    }
}

/// One segment's arrays in a [`FacetDocs`] file.
#[derive(Clone, Copy)]
pub struct SegmentDocs<'a> {
    /// Per document (and one more): article key, then each field's start.
    table: &'a [u8],
    ids: [&'a [u8]; FIELDS],
}

impl<'a> SegmentDocs<'a> {
    /// Document `doc`'s article key and its value ids per field (as little-endian words), read
    /// from its table entry and the next one at once; `None` when out of range. A damaged
    /// range reads as no values.
    #[inline]
    pub fn doc(&self, doc: u32) -> Option<(u32, [&'a [u8]; FIELDS])> {
        let at = doc as usize * 12;
        let e: &[u8; 24] = self.table.get(at..at + 24)?.try_into().ok()?;
        let word = |i: usize| u32::from_le_bytes([e[i], e[i + 1], e[i + 2], e[i + 3]]) as usize;
        let ids = std::array::from_fn(|f| {
            let (s, end) = (word(4 + 4 * f), word(16 + 4 * f));
            if s <= end {
                self.ids[f].get(s * 4..end * 4).unwrap_or(&[])
            } else {
                &[]
            }
        });
        Some((word(0) as u32, ids))
    }
}

/// Writes a [`FACET_DOCS`] file as it goes: a segment's arrays are written in passes over
/// its documents (the table, then each field's ids: the same documents in the same order
/// each time), so that no array is held in memory. Value ids are the caller's (the facets'
/// shared numbers); their names are written last.
pub struct Writer<W: std::io::Write> {
    out: W,
    written: u64,
    /// The current segment's running starts per field.
    starts: [u32; FIELDS],
    /// A document's ids, each once.
    buf: Vec<u32>,
}

impl<W: std::io::Write> Writer<W> {
    /// Starts a file for `segments` segments, for the person map whose file hash is `map_hash`.
    pub fn new(mut out: W, map_hash: u64, segments: usize) -> std::io::Result<Writer<W>> {
        out.write_all(MAGIC)?;
        out.write_all(&map_hash.to_le_bytes())?;
        out.write_all(&(segments as u32).to_le_bytes())?;
        Ok(Writer {
            out,
            written: 20,
            starts: [0; FIELDS],
            buf: Vec::new(),
        })
    }

    fn put(&mut self, v: u32) -> std::io::Result<()> {
        self.written += 4;
        self.out.write_all(&v.to_le_bytes())
    }

    /// Starts a segment: its uuid (32 characters) and number of documents. Its table follows
    /// ([`Writer::doc`] for each document, then [`Writer::end_table`]), then each field's ids
    /// ([`Writer::ids`] for each document, field by field).
    pub fn segment(&mut self, uuid: &str, max_doc: u32) -> std::io::Result<()> {
        let mut id = [b'0'; 32];
        for (d, c) in id.iter_mut().zip(uuid.bytes()) {
            *d = c;
        }
        self.out.write_all(&id)?;
        self.written += 32;
        self.starts = [0; FIELDS];
        self.put(max_doc)
    }

    /// `ids` without repeats, into `self.buf`.
    fn once(&mut self, ids: &[u32]) {
        self.buf.clear();
        for &id in ids {
            if !self.buf.contains(&id) {
                self.buf.push(id);
            }
        }
    }

    /// The next document's table entry: its article key and its value ids per field.
    pub fn doc(&mut self, article: u32, ids: [&[u32]; FIELDS]) -> std::io::Result<()> {
        self.put(article)?;
        for (f, ids) in ids.iter().enumerate() {
            self.put(self.starts[f])?;
            self.once(ids);
            self.starts[f] += self.buf.len() as u32;
        }
        Ok(())
    }

    /// Ends the current segment's table (the entry after its last document: the totals).
    pub fn end_table(&mut self) -> std::io::Result<()> {
        self.put(0)?;
        for f in 0..FIELDS {
            self.put(self.starts[f])?;
        }
        Ok(())
    }

    /// The next document's ids of field `f`: the ids given to [`Writer::doc`] again.
    pub fn ids(&mut self, ids: &[u32]) -> std::io::Result<()> {
        self.once(ids);
        let buf = std::mem::take(&mut self.buf);
        for &id in &buf {
            self.put(id)?;
        }
        self.buf = buf;
        Ok(())
    }

    /// Writes each field's names (value id → name) and the position they start at; returns
    /// the output.
    pub fn finish(mut self, names: [&[String]; FIELDS]) -> std::io::Result<W> {
        let names_start = self.written;
        for names in names {
            self.put(names.len() as u32)?;
            let mut at = 0u32;
            self.put(0)?;
            for n in names {
                at += n.len() as u32;
                self.put(at)?;
            }
            for n in names {
                self.out.write_all(n.as_bytes())?;
            }
        }
        self.out.write_all(&names_start.to_le_bytes())?;
        Ok(self.out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Two segments, written as a build writes them (values numbered in order of appearance).
    fn sample_bytes(hash: u64) -> Vec<u8> {
        type Doc<'a> = (u32, [&'a [&'a str]; FIELDS]);
        let segments: [(&str, Vec<Doc>); 2] = [
            (
                "0123456789abcdef0123456789abcdef",
                vec![
                    (1, [&["Mark Rutte", "Joe Biden", "Mark Rutte"], &["NL"]]),
                    (1, [&[], &[]]),
                    (2, [&["Joe Biden"], &["US", "NL"]]),
                ],
            ),
            (
                "fedcba9876543210fedcba9876543210",
                vec![(1, [&["Olaf Scholz"], &["DE"]])],
            ),
        ];
        let mut names: [Vec<String>; FIELDS] = Default::default();
        let mut number = |f: usize, values: &[&str]| -> Vec<u32> {
            values
                .iter()
                .map(|v| match names[f].iter().position(|n| n == v) {
                    Some(i) => i as u32,
                    None => {
                        names[f].push(v.to_string());
                        (names[f].len() - 1) as u32
                    }
                })
                .collect()
        };
        let mut w = Writer::new(Vec::new(), hash, segments.len()).unwrap();
        for (uuid, docs) in &segments {
            w.segment(uuid, docs.len() as u32).unwrap();
            for (article, values) in docs {
                let (p, c) = (number(0, values[0]), number(1, values[1]));
                w.doc(*article, [&p, &c]).unwrap();
            }
            w.end_table().unwrap();
            for f in 0..FIELDS {
                for (_, values) in docs {
                    w.ids(&number(f, values[f])).unwrap();
                }
            }
        }
        w.finish([&names[0], &names[1]]).unwrap()
    }

    fn decoded(bytes: Vec<u8>, hash: u64) -> Option<FacetDocs> {
        FacetDocs::decode(OwnedBytes::new(bytes), hash)
    }

    /// A document's article key (0 when out of range) and its ids in field `f`.
    fn article(s: &SegmentDocs, doc: u32) -> u32 {
        s.doc(doc).map_or(0, |(a, _)| a)
    }

    fn ids(s: &SegmentDocs, f: usize, doc: u32) -> Vec<u32> {
        s.doc(doc).map_or(Vec::new(), |(_, ids)| {
            ids[f]
                .chunks_exact(4)
                .map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]]))
                .collect()
        })
    }

    #[test]
    fn documents_read_back_as_written() {
        let d = decoded(sample_bytes(7), 7).unwrap();
        let s = d.docs(d.segment("0123456789abcdef0123456789abcdef", 3).unwrap());
        let names = |f: usize, doc: u32| -> Vec<&str> {
            ids(&s, f, doc).into_iter().map(|i| d.name(f, i)).collect()
        };
        assert_eq!(names(0, 0), ["Mark Rutte", "Joe Biden"]);
        assert_eq!(names(1, 0), ["NL"]);
        assert!(names(0, 1).is_empty() && names(1, 1).is_empty());
        assert_eq!(names(0, 2), ["Joe Biden"]);
        assert_eq!(names(1, 2), ["US", "NL"]);
        assert_eq!((article(&s, 0), article(&s, 1), article(&s, 2)), (1, 1, 2));
        // out of range: nothing, no panic
        assert!(ids(&s, 0, 3).is_empty());
        assert_eq!(article(&s, 3), 0);
        assert!(s.doc(3).is_none());
        let t = d.docs(d.segment("fedcba9876543210fedcba9876543210", 1).unwrap());
        assert_eq!(
            ids(&t, 0, 0)
                .into_iter()
                .map(|i| d.name(0, i))
                .collect::<Vec<_>>(),
            ["Olaf Scholz"]
        );
        assert_eq!((d.len(0), d.len(1)), (3, 3));
        assert_eq!(d.name(0, 3), "");
    }

    #[test]
    fn another_map_another_segment_size_or_an_unknown_segment_is_not_used() {
        let bytes = sample_bytes(7);
        assert!(decoded(bytes.clone(), 8).is_none());
        let d = decoded(bytes, 7).unwrap();
        assert!(d.segment("0123456789abcdef0123456789abcdef", 4).is_none());
        assert!(d.segment("00000000000000000000000000000000", 3).is_none());
    }

    #[test]
    fn damaged_files_are_refused_or_read_without_panic() {
        let bytes = sample_bytes(7);
        for cut in 0..bytes.len() {
            assert!(decoded(bytes[..cut].to_vec(), 7).is_none(), "cut at {cut}");
        }
        for at in 0..bytes.len() {
            for x in [0x01u8, 0x80, 0xff] {
                let mut b = bytes.clone();
                b[at] ^= x;
                if let Some(d) = decoded(b, 7) {
                    for (uuid, at) in d.segments.iter() {
                        let s = d.docs(d.segment(uuid, at.max_doc).unwrap());
                        for doc in 0..at.max_doc + 1 {
                            for f in 0..FIELDS {
                                for id in ids(&s, f, doc) {
                                    let _ = d.name(f, id);
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}
