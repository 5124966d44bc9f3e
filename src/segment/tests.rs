use super::*;

#[test]
fn splits_a_simple_sentence() {
    let doc = segment("Wang ontmoette Lavrov.", Lang::Nl);
    assert_eq!(doc.form, vec!["Wang", "ontmoette", "Lavrov", "."]);
}
