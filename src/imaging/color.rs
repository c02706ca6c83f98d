//! Conversion to sRGB, the colour space every rendition is published in, shared by the
//! decoders (`process` and `heic`).

/// An in-place transform of pixels of kind `ty` from the photo's profile to sRGB.
pub(crate) fn srgb_transform(icc: &[u8], ty: qcms::DataType) -> Option<qcms::Transform> {
    let input = qcms::Profile::new_from_slice(icc, false)?;
    qcms::Transform::new(&input, &srgb(), ty, qcms::Intent::Perceptual)
}

/// A transform from pixels of kind `from` in the photo's profile to sRGB RGB8.
pub(crate) fn srgb_transform_to(icc: &[u8], from: qcms::DataType) -> Option<qcms::Transform> {
    let input = qcms::Profile::new_from_slice(icc, false)?;
    qcms::Transform::new_to(
        &input,
        &srgb(),
        from,
        qcms::DataType::RGB8,
        qcms::Intent::Perceptual,
    )
}

/// The sRGB profile, ready to be the output of a transform.
pub(crate) fn srgb() -> Box<qcms::Profile> {
    let mut srgb = qcms::Profile::new_sRGB();
    srgb.precache_output_transform();
    srgb
}
