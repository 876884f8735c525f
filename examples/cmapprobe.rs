use hayro_interpret::hayro_cmap::{CMap, CMapName, load_embedded};
fn main() {
    for name in [&b"GBK-EUC-H"[..], b"UniGB-UCS2-H"] {
        let data = load_embedded(CMapName::from_bytes(name)).expect("embedded");
        let cm = CMap::parse(data, |n| load_embedded(n)).expect("parse");
        let probe = |c: u32, l: u8| cm.lookup_cid_code(c, l);
        println!("{} '3'->{:?} '.'->{:?}", String::from_utf8_lossy(name), probe(0x33, if name[0]==b'G' {1} else {2}), probe(0x2e, if name[0]==b'G' {1} else {2}));
    }
}
