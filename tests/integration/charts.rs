//! Charts: look at what is drawn (pixels where the values say, "No data", hollow flagged points, gaps, bars on
//! the right side of the reference), not only that bytes come out; PNG header, size and determinism.

use chrono::NaiveDate;
use jobtrend::charts::{
    Bar, BarChart, BarUnit, Fan, LineChart, Point, ScoreRow, Series, bar_chart, bar_chart_rgb, color_for, fan_chart,
    fan_chart_rgb, line_chart, line_chart_rgb, plot_area, scorecard, scorecard_rgb, small_multiples,
};
use plotters::style::RGBColor;

const W: u32 = 1600;
const H: u32 = 900;

fn month(i: i32) -> NaiveDate {
    let m = 2019 * 12 + i;
    NaiveDate::from_ymd_opt(m / 12, (m % 12) as u32 + 1, 1).unwrap()
}

fn constant(key: &str, value: f64, months: std::ops::Range<i32>) -> Series {
    Series {
        key: key.into(),
        label: key.to_uppercase(),
        points: months
            .map(|i| Point { date: month(i), value, low: value - 0.03, high: value + 0.03, n: 500, flagged: false })
            .collect(),
        dashed: false,
    }
}

fn chart(series: Vec<Series>, y_max: Option<f64>) -> LineChart {
    LineChart {
        title: "Share of postings that mention each language".into(),
        subtitle: Some("Monthly, with Wilson 95% intervals".into()),
        y_label: "Share of postings".into(),
        x_label: "Month".into(),
        footnote: "Source: test data; n = 500 postings per month".into(),
        series,
        width: W,
        height: H,
        y_max,
    }
}

fn pixel(rgb: &[u8], w: u32, x: i32, y: i32) -> [u8; 3] {
    let i = (y as usize * w as usize + x as usize) * 3;
    [rgb[i], rgb[i + 1], rgb[i + 2]]
}

fn near(p: [u8; 3], c: RGBColor, tol: i32) -> bool {
    (p[0] as i32 - c.0 as i32).abs() <= tol
        && (p[1] as i32 - c.1 as i32).abs() <= tol
        && (p[2] as i32 - c.2 as i32).abs() <= tol
}

/// Rows of column `x` whose pixel is (close to) colour `c`.
fn rows_with(rgb: &[u8], w: u32, h: u32, x: i32, c: RGBColor) -> Vec<i32> {
    (0..h as i32).filter(|&y| near(pixel(rgb, w, x, y), c, 6)).collect()
}

fn count_color(rgb: &[u8], c: RGBColor, tol: i32) -> usize {
    rgb.chunks_exact(3).filter(|p| near([p[0], p[1], p[2]], c, tol)).count()
}

/// Width and height from the IHDR chunk, after checking the signature.
fn png_size(png: &[u8]) -> (u32, u32) {
    assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n", "PNG signature");
    assert_eq!(&png[12..16], b"IHDR");
    let w = u32::from_be_bytes(png[16..20].try_into().unwrap());
    let h = u32::from_be_bytes(png[20..24].try_into().unwrap());
    assert_eq!(&png[24..26], &[8, 2], "8-bit RGB");
    (w, h)
}

/// Decodes our own PNGs (one IDAT, RGB8, no interlace) back to RGB.
fn decode_png(png: &[u8]) -> Vec<u8> {
    let (w, h) = png_size(png);
    let mut pos = 8;
    let mut idat = Vec::new();
    while pos + 8 <= png.len() {
        let len = u32::from_be_bytes(png[pos..pos + 4].try_into().unwrap()) as usize;
        if &png[pos + 4..pos + 8] == b"IDAT" {
            idat.extend_from_slice(&png[pos + 8..pos + 8 + len]);
        }
        pos += 12 + len;
    }
    let mut raw = Vec::new();
    std::io::Read::read_to_end(&mut flate2::read::ZlibDecoder::new(&idat[..]), &mut raw).unwrap();
    let stride = w as usize * 3;
    let mut out = vec![0u8; stride * h as usize];
    for r in 0..h as usize {
        let f = raw[r * (stride + 1)];
        for i in 0..stride {
            let x = raw[r * (stride + 1) + 1 + i] as i16;
            let a = if i >= 3 { out[r * stride + i - 3] as i16 } else { 0 };
            let b = if r > 0 { out[(r - 1) * stride + i] as i16 } else { 0 };
            let c = if i >= 3 && r > 0 { out[(r - 1) * stride + i - 3] as i16 } else { 0 };
            let pred = match f {
                0 => 0,
                1 => a,
                2 => b,
                3 => (a + b) / 2,
                _ => {
                    let p = a + b - c;
                    let (pa, pb, pc) = ((p - a).abs(), (p - b).abs(), (p - c).abs());
                    if pa <= pb && pa <= pc {
                        a
                    } else if pb <= pc {
                        b
                    } else {
                        c
                    }
                }
            };
            out[r * stride + i] = (x + pred) as u8;
        }
    }
    out
}

#[test]
fn png_has_signature_and_the_requested_size() {
    let png = line_chart(&chart(vec![constant("typescript", 0.3, 0..24)], None)).unwrap();
    assert_eq!(png_size(&png), (1600, 900));
    let mut small = chart(vec![constant("typescript", 0.3, 0..24)], None);
    small.width = 800;
    small.height = 450;
    assert_eq!(png_size(&line_chart(&small).unwrap()), (800, 450));
}

#[test]
fn png_decodes_to_the_rgb_buffer() {
    let c = chart(vec![constant("typescript", 0.3, 0..24), constant("python", 0.1, 0..24)], None);
    let png = line_chart(&c).unwrap();
    let rgb = line_chart_rgb(&c).unwrap();
    assert_eq!(rgb.len(), (W * H * 3) as usize);
    assert_eq!(decode_png(&png), rgb);
}

#[test]
fn a_constant_series_at_half_is_drawn_on_the_half_line() {
    let c = chart(vec![constant("typescript", 0.5, 0..36)], Some(1.0));
    let area = plot_area(&c).unwrap().expect("a plot");
    assert!(area.x0 < area.x1 && area.y0 < area.y1);
    assert!((area.y_top - 1.0).abs() < 1e-9);
    // the mapping agrees with the plot's bounds: 0 at the bottom, 100% at the top
    assert!((area.y_px(0.0) - (area.y1 - 1)).abs() <= 2, "{area:?}");
    assert!((area.y_px(1.0) - area.y0).abs() <= 2, "{area:?}");
    let rgb = line_chart_rgb(&c).unwrap();
    let color = color_for("typescript");
    let x = area.x_px(month(18));
    let rows = rows_with(&rgb, W, H, x, color);
    assert!(!rows.is_empty(), "the series colour is in the middle column");
    let expected = area.y_px(0.5);
    for y in &rows {
        assert!((y - expected).abs() <= 4, "series pixel at y={y}, expected {expected}");
    }
    // the band (±3 pp) is drawn: a light tint of the colour above and below the line, white beyond it
    let band = pixel(&rgb, W, x, area.y_px(0.52));
    assert!(band != [255, 255, 255] && !near(band, color, 20), "band pixel {band:?}");
    assert_eq!(pixel(&rgb, W, x + 3, area.y_px(0.65)), [255, 255, 255]);
}

#[test]
fn a_low_series_is_drawn_low_and_a_high_one_high() {
    let c = chart(vec![constant("python", 0.1, 0..24), constant("go", 0.9, 0..24)], None);
    let area = plot_area(&c).unwrap().unwrap();
    let rgb = line_chart_rgb(&c).unwrap();
    let x = area.x_px(month(12));
    let mid = (area.y0 + area.y1) / 2;
    let low = rows_with(&rgb, W, H, x, color_for("python"));
    let high = rows_with(&rgb, W, H, x, color_for("go"));
    assert!(!low.is_empty() && !high.is_empty());
    assert!(low.iter().all(|&y| y > mid), "python at 10% is in the bottom half: {low:?}");
    assert!(high.iter().all(|&y| y < mid), "go at 90% is in the top half: {high:?}");
    assert!(low.iter().all(|&y| (y - area.y_px(0.1)).abs() <= 4));
    assert!(high.iter().all(|&y| (y - area.y_px(0.9)).abs() <= 4));
}

#[test]
fn a_chart_without_data_says_so() {
    for series in [vec![], vec![constant("rust", 0.2, 0..0)], vec![constant("rust", f64::NAN, 0..12)]] {
        let c = chart(series, None);
        assert!(plot_area(&c).unwrap().is_none());
        let rgb = line_chart_rgb(&c).unwrap();
        // text in the middle region
        let (cx, cy) = (W as i32 / 2, H as i32 / 2);
        let mut ink = 0;
        for y in cy - 40..cy + 40 {
            for x in cx - 200..cx + 200 {
                if pixel(&rgb, W, x, y) != [255, 255, 255] {
                    ink += 1;
                }
            }
        }
        assert!(ink > 500, "\"No data\" is written in the middle ({ink} dark pixels)");
        assert_eq!(count_color(&rgb, color_for("rust"), 10), 0, "no series colour");
        assert!(line_chart(&c).is_ok());
    }
}

#[test]
fn missing_months_break_the_line() {
    let mut s = constant("kotlin", 0.4, 0..12);
    s.points.extend(constant("kotlin", 0.4, 24..36).points);
    let c = chart(vec![s], Some(1.0));
    let area = plot_area(&c).unwrap().unwrap();
    let rgb = line_chart_rgb(&c).unwrap();
    let color = color_for("kotlin");
    assert!(!rows_with(&rgb, W, H, area.x_px(month(6)), color).is_empty());
    assert!(rows_with(&rgb, W, H, area.x_px(month(18)), color).is_empty(), "no line across the missing year");
}

#[test]
fn flagged_points_are_hollow_circles() {
    let mut s = constant("elixir", 0.5, 0..12);
    s.points[6].flagged = true;
    let c = chart(vec![s], Some(1.0));
    let area = plot_area(&c).unwrap().unwrap();
    let rgb = line_chart_rgb(&c).unwrap();
    let (x, y) = (area.x_px(month(6)), area.y_px(0.5));
    assert_eq!(pixel(&rgb, W, x, y), [255, 255, 255], "the centre of a flagged point is white");
    let color = color_for("elixir");
    let ring = (4..=9).any(|d| near(pixel(&rgb, W, x, y - d), color, 6));
    assert!(ring, "a ring of the series colour around it");
    // an unflagged point's centre is the series colour
    assert!(near(pixel(&rgb, W, area.x_px(month(3)), y), color, 6));
}

#[test]
fn bad_input_never_panics() {
    let weird = Series {
        key: "".into(),
        label: "".into(),
        points: vec![
            Point { date: month(0), value: 2.0, low: f64::NAN, high: f64::INFINITY, n: 0, flagged: true },
            Point { date: month(0), value: -1.0, low: -5.0, high: 5.0, n: 0, flagged: false },
            Point { date: month(3), value: f64::NAN, low: 0.0, high: 1.0, n: 0, flagged: false },
        ],
        dashed: true,
    };
    let one = constant("go", 0.05, 5..6);
    for (w, h) in [(1600, 900), (64, 64), (300, 2000)] {
        let mut c = chart(vec![weird.clone(), one.clone()], Some(f64::NAN));
        c.width = w;
        c.height = h;
        let png = line_chart(&c).unwrap();
        assert_eq!(png_size(&png), (w, h));
    }
    let mut zero = chart(vec![one], None);
    zero.width = 0;
    assert!(line_chart(&zero).is_err());
    // bar chart, fan and small multiples with nothing or nonsense in them
    assert!(bar_chart("t", "x", "f", &[], W, H).is_ok());
    let nan_bar = Bar { key: "x".into(), label: "x".into(), value: f64::NAN, low: 0.0, high: 0.0 };
    assert!(bar_chart("t", "x", "f", &[nan_bar], W, H).is_ok());
    let empty_fan = Fan { history: constant("ai", 0.1, 0..0), projection: vec![], level: Some(f64::NAN) };
    assert!(fan_chart("t", "f", &empty_fan, W, H).is_ok());
    assert!(small_multiples("t", "f", &[], W, H).is_ok());
    assert!(scorecard("t", &[], 1600).is_ok());
}

#[test]
fn same_input_same_bytes() {
    let c = chart(vec![constant("typescript", 0.3, 0..24), constant("javascript", 0.2, 0..24)], None);
    assert_eq!(line_chart(&c).unwrap(), line_chart(&c).unwrap());
    let bars = movers();
    assert_eq!(bar_chart("m", "x", "f", &bars, W, H).unwrap(), bar_chart("m", "x", "f", &bars, W, H).unwrap());
    let rows = score_rows(5);
    assert_eq!(scorecard("s", &rows, 1600).unwrap(), scorecard("s", &rows, 1600).unwrap());
    let fan = fan();
    assert_eq!(fan_chart("f", "n", &fan, W, H).unwrap(), fan_chart("f", "n", &fan, W, H).unwrap());
    let panels = vec![("A".to_string(), vec![constant("go", 0.1, 0..12)])];
    assert_eq!(small_multiples("o", "n", &panels, W, H).unwrap(), small_multiples("o", "n", &panels, W, H).unwrap());
}

#[test]
fn colours_are_stable_and_distinct_for_the_main_ids() {
    let ids = [
        "typescript",
        "javascript",
        "python",
        "go",
        "rust",
        "java",
        "nodejs",
        "bun",
        "deno",
        "postgresql",
        "mysql",
        "mongodb",
        "redis",
        "sqlite",
        "vector-database",
        "llm",
        "rag",
        "embeddings",
        "mcp",
        "ai-agents",
        "kubernetes",
        "docker",
        "terraform",
        "graphql",
        "grpc",
        "rest",
        "devops",
        "platform-engineering",
        "sre",
    ];
    let colors: Vec<RGBColor> = ids.iter().map(|id| color_for(id)).collect();
    for (i, a) in colors.iter().enumerate() {
        for (j, b) in colors.iter().enumerate().skip(i + 1) {
            assert_ne!(a, b, "{} and {} share a colour", ids[i], ids[j]);
        }
        // dark enough to read on white
        let luma = 0.299 * a.0 as f64 + 0.587 * a.1 as f64 + 0.114 * a.2 as f64;
        assert!(luma < 190.0, "{} is too light ({luma:.0})", ids[i]);
    }
    assert_eq!(color_for("typescript"), color_for("TypeScript"));
    assert_eq!(color_for("typescript"), RGBColor(0x31, 0x78, 0xC6));
    assert_eq!(color_for("brand-new-thing"), color_for("brand-new-thing"));
}

fn movers() -> Vec<Bar> {
    vec![
        Bar { key: "rust".into(), label: "Rust".into(), value: 0.04, low: 0.03, high: 0.05 },
        Bar { key: "java".into(), label: "Java".into(), value: -0.05, low: -0.06, high: -0.04 },
    ]
}

#[test]
fn bars_grow_to_the_side_of_their_sign() {
    let c = BarChart {
        title: "Biggest movers".into(),
        subtitle: None,
        x_label: "Change in share".into(),
        footnote: "n".into(),
        bars: movers(),
        unit: BarUnit::SharePoints,
        reference: Some(0.0),
        width: W,
        height: H,
    };
    let rgb = bar_chart_rgb(&c).unwrap();
    // bars are filled with the key colour at 85% over white
    let tint = |c: RGBColor| {
        let m = |v: u8| (v as f64 * 0.85 + 255.0 * 0.15).round() as u8;
        RGBColor(m(c.0), m(c.1), m(c.2))
    };
    let xs = |c: RGBColor| -> (f64, f64, usize) {
        let mut sum_x = 0.0;
        let mut sum_y = 0.0;
        let mut n = 0;
        for (i, p) in rgb.chunks_exact(3).enumerate() {
            if near([p[0], p[1], p[2]], c, 3) {
                sum_x += (i % W as usize) as f64;
                sum_y += (i / W as usize) as f64;
                n += 1;
            }
        }
        (sum_x / n.max(1) as f64, sum_y / n.max(1) as f64, n)
    };
    let (rx, ry, rn) = xs(tint(color_for("rust")));
    let (jx, jy, jn) = xs(tint(color_for("java")));
    assert!(rn > 1000 && jn > 1000, "both bars are drawn ({rn}, {jn})");
    assert!(rx > jx, "the positive bar lies right of the negative one");
    assert!(ry < jy, "bars are drawn top to bottom in the given order");
    // a ratio chart with a reference at 1 works too
    let ratio = BarChart { unit: BarUnit::Ratio, reference: Some(1.0), ..c };
    assert!(bar_chart_rgb(&ratio).is_ok());
}

fn score_rows(n: usize) -> Vec<ScoreRow> {
    (0..n)
        .map(|i| ScoreRow {
            id: format!("claim-{i}"),
            claim: format!("Claim number {i}"),
            verdict: ["supported", "contradicted", "inconclusive"][i % 3].into(),
            effect: "+1.0 pp/yr".into(),
            interval: "[+0.5, +1.5]".into(),
        })
        .collect()
}

#[test]
fn scorecard_grows_with_rows_and_colours_verdicts() {
    let (_, h3) = png_size(&scorecard("Scorecard", &score_rows(3), 1600).unwrap());
    let (w, h10) = png_size(&scorecard("Scorecard", &score_rows(10), 1600).unwrap());
    assert_eq!(w, 1600);
    assert!(h10 > h3);
    let (rgb, h) = scorecard_rgb("Scorecard", &score_rows(3), 1600).unwrap();
    assert_eq!(h, h3);
    let green = jobtrend::charts::verdict_color("supported");
    let red = jobtrend::charts::verdict_color("contradicted");
    assert!(count_color(&rgb, green, 2) > 500);
    assert!(count_color(&rgb, red, 2) > 500);
}

fn fan() -> Fan {
    let history = constant("ai", 0.2, 0..48);
    let projection = (48..84)
        .map(|i| {
            let t = (i - 47) as f64 / 36.0;
            (month(i), 0.2 + 0.1 * t, 0.2 + 0.02 * t, (0.2 + 0.3 * t).min(1.0))
        })
        .collect();
    Fan { history, projection, level: Some(0.8) }
}

#[test]
fn fan_chart_draws_history_projection_and_level() {
    let rgb = fan_chart_rgb("AI by 2028", "n", &fan(), W, H).unwrap();
    assert!(count_color(&rgb, color_for("ai"), 6) > 1000, "history and projection lines");
    assert!(count_color(&rgb, RGBColor(0xB7, 0x1C, 0x1C), 6) > 300, "the level line");
}

#[test]
fn small_multiples_draw_every_panel() {
    let panels = vec![
        ("Languages".to_string(), vec![constant("typescript", 0.3, 0..24), constant("python", 0.2, 0..24)]),
        ("Databases".to_string(), vec![constant("postgresql", 0.25, 0..24)]),
        ("Empty".to_string(), vec![]),
    ];
    let png = small_multiples("Overview", "n", &panels, W, H).unwrap();
    let rgb = decode_png(&png);
    for key in ["typescript", "python", "postgresql"] {
        assert!(count_color(&rgb, color_for(key), 6) > 200, "{key} drawn");
    }
}
