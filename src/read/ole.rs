//! A small, bounded reader of OLE compound files (the container of Excel 97-2003 `.xls`), used
//! only to pre-scan an `.xls` workbook before calamine parses it.
//!
//! calamine sizes two allocations from numbers an `.xls` file declares: it reserves room for the
//! rows x columns a sheet's DIMENSIONS record claims (up to 2^32 rows), and it builds each sheet
//! as a dense grid spanning its farthest cells. A few hundred bytes can ask for terabytes, and a
//! failed allocation aborts the process (it cannot be caught). [`check_xls`] finds the workbook
//! stream, walks its BIFF records and refuses the file when either number exceeds
//! [`Limits::max_sheet_cells`].
//!
//! Takes the file's bytes; gives `Ok(())` or a [`ReadError`]. Every loop is bounded by the
//! file's own size; nothing is allocated from a declared size that was not checked against the
//! bytes present. Must not interpret cell values (calamine does).

use super::{Limits, ReadError};

const FREE: u32 = 0xFFFF_FFFF;
const END_OF_CHAIN: u32 = 0xFFFF_FFFE;

/// Pre-scans an `.xls` file (see the module docs).
pub fn check_xls(bytes: &[u8], limits: &Limits) -> Result<(), ReadError> {
    let damaged = |why: &str| {
        ReadError::Spreadsheet(format!(
            "the Excel 97-2003 container is damaged ({why}); open and re-save the workbook in Excel or LibreOffice"
        ))
    };
    let cfb = Cfb::parse(bytes).map_err(damaged)?;
    let stream = cfb
        .stream(&["Workbook", "Book"])
        .map_err(damaged)?
        .ok_or_else(|| damaged("no Workbook stream"))?;
    scan_biff(&stream, limits)
}

/// Walks BIFF records: DIMENSIONS claims and each sheet's cell bounding box.
fn scan_biff(stream: &[u8], limits: &Limits) -> Result<(), ReadError> {
    let max = limits.max_sheet_cells;
    let limit = |what: String| ReadError::Limit {
        what,
        limit: format!("{max} cells"),
    };
    let mut pos = 0usize;
    let mut depth = 0usize;
    let mut dense_total: u64 = 0;
    let mut bbox: Option<(u32, u32, u32, u32)> = None;
    let mut close_sheet = |bbox: &mut Option<(u32, u32, u32, u32)>| -> Result<(), ReadError> {
        if let Some((r0, c0, r1, c1)) = bbox.take() {
            let dense = (u64::from(r1 - r0) + 1) * (u64::from(c1 - c0) + 1);
            dense_total = dense_total.saturating_add(dense);
            if dense_total > max {
                return Err(limit(format!(
                    "the grid the sheets' cells span ({dense_total} cells, blank ones included)"
                )));
            }
        }
        Ok(())
    };
    while let Some(header) = stream.get(pos..pos + 4) {
        let typ = u16::from_le_bytes([header[0], header[1]]);
        let len = usize::from(u16::from_le_bytes([header[2], header[3]]));
        let data = stream.get(pos + 4..pos + 4 + len).unwrap_or(&[]);
        pos += 4 + len;
        let u16_at = |i: usize| {
            data.get(i..i + 2)
                .map(|b| u32::from(u16::from_le_bytes([b[0], b[1]])))
        };
        let u32_at = |i: usize| {
            data.get(i..i + 4)
                .map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
        };
        match typ {
            0x0809 => {
                if depth == 0 {
                    close_sheet(&mut bbox)?;
                }
                depth += 1;
            }
            0x000A => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    close_sheet(&mut bbox)?;
                }
            }
            // DIMENSIONS: calamine reserves rows x columns cells from it.
            0x0200 => {
                let (rf, rl, cf, cl) = match data.len() {
                    10 => (u16_at(0), u16_at(2), u16_at(4), u16_at(6)),
                    14 | 16 => (u32_at(0), u32_at(4), u16_at(8), u16_at(10)),
                    _ => continue,
                };
                let (Some(rf), Some(rl), Some(mut cf), Some(cl)) = (rf, rl, cf, cl) else {
                    continue;
                };
                if cf > 0xFF || cl < cf {
                    cf = 0;
                }
                let rows = u64::from(rl.saturating_sub(rf)) + 1;
                let cols = u64::from(cl.saturating_sub(cf)) + 1;
                if rows.saturating_mul(cols) > max {
                    return Err(limit(format!(
                        "the sheet size the DIMENSIONS record declares ({rows} rows x {cols} columns)"
                    )));
                }
            }
            // Cell records: row and column first.
            0x0203 | 0x0204 | 0x00D6 | 0x0205 | 0x027E | 0x00FD | 0x0006 | 0x00BD => {
                let (Some(row), Some(col)) = (u16_at(0), u16_at(2)) else {
                    continue;
                };
                let last_col = if typ == 0x00BD {
                    data.len()
                        .checked_sub(2)
                        .and_then(u16_at)
                        .unwrap_or(col)
                        .max(col)
                } else {
                    col
                };
                bbox = Some(match bbox {
                    None => (row, col, row, last_col),
                    Some((r0, c0, r1, c1)) => {
                        (r0.min(row), c0.min(col), r1.max(row), c1.max(last_col))
                    }
                });
            }
            _ => {}
        }
    }
    close_sheet(&mut bbox)
}

/// The parts of a compound file needed to read one stream.
struct Cfb<'a> {
    bytes: &'a [u8],
    sector_size: usize,
    mini_sector_size: usize,
    mini_cutoff: u64,
    fat: Vec<u32>,
    first_dir: u32,
    first_mini_fat: u32,
}

impl<'a> Cfb<'a> {
    fn parse(bytes: &'a [u8]) -> Result<Cfb<'a>, &'static str> {
        let header = bytes.get(..512).ok_or("shorter than its header")?;
        let u16_at = |i: usize| u16::from_le_bytes([header[i], header[i + 1]]);
        let u32_at =
            |i: usize| u32::from_le_bytes([header[i], header[i + 1], header[i + 2], header[i + 3]]);
        let sector_size = match u16_at(0x1E) {
            9 => 512,
            12 => 4096,
            _ => return Err("unknown sector size"),
        };
        let mini_sector_size = match u16_at(0x20) {
            6 => 64,
            _ => return Err("unknown mini sector size"),
        };
        let sectors_in_file = bytes.len() / sector_size;
        let mut cfb = Cfb {
            bytes,
            sector_size,
            mini_sector_size,
            mini_cutoff: u64::from(u32_at(0x38)),
            fat: Vec::new(),
            first_dir: u32_at(0x30),
            first_mini_fat: u32_at(0x3C),
        };
        // FAT sector ids: 109 in the header, the rest in the DIFAT chain.
        let mut fat_sectors: Vec<u32> = (0..109)
            .map(|i| u32_at(0x4C + 4 * i))
            .filter(|&s| s < 0xFFFF_FFFC)
            .collect();
        let mut difat = u32_at(0x44);
        let mut hops = 0usize;
        while difat != END_OF_CHAIN && difat != FREE {
            hops += 1;
            if hops > sectors_in_file {
                return Err("a DIFAT chain loops");
            }
            let sector = cfb.sector(difat).ok_or("a DIFAT sector is past the end")?;
            let n = sector_size / 4 - 1;
            for i in 0..n {
                let id = le_u32(sector, 4 * i);
                if id < 0xFFFF_FFFC {
                    fat_sectors.push(id);
                }
            }
            difat = le_u32(sector, 4 * n);
        }
        if fat_sectors.len() > sectors_in_file {
            return Err("more FAT sectors than the file holds");
        }
        let mut fat = Vec::with_capacity(fat_sectors.len() * sector_size / 4);
        for id in fat_sectors {
            let sector = cfb.sector(id).ok_or("a FAT sector is past the end")?;
            fat.extend(sector.chunks_exact(4).map(|c| le_u32(c, 0)));
        }
        cfb.fat = fat;
        Ok(cfb)
    }

    /// A sector's bytes; like calamine, a sector cut short by the end of the file gives what
    /// there is (possibly nothing), and only an id past the file's sector count is an error.
    fn sector(&self, id: u32) -> Option<&'a [u8]> {
        let id = usize::try_from(id).ok()?;
        if id > self.bytes.len() / self.sector_size {
            return None;
        }
        let start = (id + 1).checked_mul(self.sector_size)?;
        let end = start.checked_add(self.sector_size)?.min(self.bytes.len());
        Some(self.bytes.get(start..end).unwrap_or(&[]))
    }

    /// The bytes of a chain of regular sectors, at most `max` of them.
    fn chain(&self, start: u32, max: u64) -> Result<Vec<u8>, &'static str> {
        let mut out = Vec::new();
        let mut id = start;
        let limit = self.bytes.len() / self.sector_size + 1;
        let mut hops = 0usize;
        while id != END_OF_CHAIN && (out.len() as u64) < max {
            hops += 1;
            if hops > limit {
                return Err("a sector chain loops");
            }
            out.extend_from_slice(self.sector(id).ok_or("a sector is past the end")?);
            id = *self
                .fat
                .get(usize::try_from(id).map_err(|_| "bad sector id")?)
                .ok_or("a sector is missing from the FAT")?;
        }
        out.truncate(usize::try_from(max).unwrap_or(usize::MAX));
        Ok(out)
    }

    /// The named stream (first match, names compared case-insensitively), if present.
    fn stream(&self, names: &[&str]) -> Result<Option<Vec<u8>>, &'static str> {
        let dir = self.chain(self.first_dir, self.bytes.len() as u64)?;
        let entries: Vec<&[u8]> = dir.chunks_exact(128).collect();
        let root = entries.first().ok_or("no directory")?;
        let entry_name = |e: &[u8]| {
            let len = usize::from(u16::from_le_bytes([e[64], e[65]])).min(64);
            let units: Vec<u16> = e[..len]
                .chunks_exact(2)
                .map(|c| u16::from_le_bytes([c[0], c[1]]))
                .take_while(|&u| u != 0)
                .collect();
            String::from_utf16_lossy(&units)
        };
        for wanted in names {
            let Some(entry) = entries
                .iter()
                .find(|e| e[66] == 2 && entry_name(e).eq_ignore_ascii_case(wanted))
            else {
                continue;
            };
            let start = le_u32(entry, 116);
            let size = u64::from(le_u32(entry, 120)).min(self.bytes.len() as u64);
            if size >= self.mini_cutoff {
                return self.chain(start, size).map(Some);
            }
            // A small stream lives in the mini stream, which the root entry holds.
            let mini_stream = self.chain(le_u32(root, 116), self.bytes.len() as u64)?;
            let mini_fat: Vec<u32> = self
                .chain(self.first_mini_fat, self.bytes.len() as u64)?
                .chunks_exact(4)
                .map(|c| le_u32(c, 0))
                .collect();
            let mut out = Vec::new();
            let mut id = start;
            let mut hops = 0usize;
            while id != END_OF_CHAIN && (out.len() as u64) < size {
                hops += 1;
                if hops > mini_fat.len() + 1 {
                    return Err("a mini sector chain loops");
                }
                let at =
                    usize::try_from(id).map_err(|_| "bad mini sector id")? * self.mini_sector_size;
                out.extend_from_slice(
                    mini_stream
                        .get(at..at + self.mini_sector_size)
                        .ok_or("a mini sector is past the end")?,
                );
                id = *mini_fat
                    .get(usize::try_from(id).map_err(|_| "bad mini sector id")?)
                    .ok_or("a mini sector is missing from the mini FAT")?;
            }
            out.truncate(usize::try_from(size).unwrap_or(usize::MAX));
            return Ok(Some(out));
        }
        Ok(None)
    }
}

fn le_u32(b: &[u8], i: usize) -> u32 {
    b.get(i..i + 4)
        .map_or(0, |b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(typ: u16, data: &[u8]) -> Vec<u8> {
        let mut r = typ.to_le_bytes().to_vec();
        r.extend((data.len() as u16).to_le_bytes());
        r.extend(data);
        r
    }

    #[test]
    fn a_huge_declared_dimension_is_refused() {
        let mut dims = Vec::new();
        dims.extend(0u32.to_le_bytes());
        dims.extend(u32::MAX.to_le_bytes());
        dims.extend(0u16.to_le_bytes());
        dims.extend(200u16.to_le_bytes());
        dims.extend(0u16.to_le_bytes());
        let stream = [record(0x0809, &[0; 16]), record(0x0200, &dims)].concat();
        let err = scan_biff(&stream, &Limits::default()).unwrap_err();
        assert!(err.to_string().contains("DIMENSIONS"), "{err}");
    }

    #[test]
    fn far_apart_cells_are_refused_and_near_ones_pass() {
        let cell = |row: u16, col: u16| {
            let mut d = row.to_le_bytes().to_vec();
            d.extend(col.to_le_bytes());
            d.extend([0u8; 10]);
            record(0x0203, &d)
        };
        let near = [
            record(0x0809, &[0; 16]),
            cell(0, 0),
            cell(10, 3),
            record(0x000A, &[]),
        ]
        .concat();
        assert!(scan_biff(&near, &Limits::default()).is_ok());
        let far = [record(0x0809, &[0; 16]), cell(0, 0), cell(65_000, 16_000)].concat();
        assert!(matches!(
            scan_biff(&far, &Limits::default()),
            Err(ReadError::Limit { .. })
        ));
    }
}
