//! Invoice arithmetic: [`compute_totals`] and [`check_typed_totals`].
//!
//! The rules (reference 3.2, from EN 16931 BR-CO-10, BR-CO-15, BR-CO-16, BR-CO-17):
//! 1. each line HT = quantity × unit price HT − discount, rounded half-up to the cent;
//! 2. the base of a VAT rate is the sum of the rounded line HT amounts at that rate;
//! 3. the VAT of a rate is base × rate, rounded half-up to the cent (per rate, not per line);
//! 4. total HT = Σ line HT, total TVA = Σ VAT per rate, TTC = HT + TVA exactly;
//! 5. net à payer = TTC − déjà payé exactly.
//!
//! Half-up is the simulator's rule; Chorus Pro's own rounding mode is *unconfirmed*.

use serde::{Deserialize, Serialize};

use super::amount::{Amount, VatRate};
use super::form::InvoiceForm;
use super::FieldError;

/// Everything computed from the lines and « déjà payé ».
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Totals {
    /// Line HT amounts, rounded to the cent, in line order.
    pub lines: Vec<Amount>,
    /// Récapitulatif TVA: one entry per rate used, in the order 20, 10, 5,5, 2,1, 0 %.
    /// Lines without a rate yet are left out (the field rules report them).
    pub vat_summary: Vec<VatSummaryLine>,
    /// Montant total HT = Σ line HT.
    pub total_ht: Amount,
    /// Montant total TVA = Σ VAT per rate.
    pub total_vat: Amount,
    /// Montant TTC = total HT + total TVA.
    pub total_ttc: Amount,
    /// Déjà payé, as entered.
    pub already_paid: Amount,
    /// Net à payer = TTC − déjà payé.
    pub net_to_pay: Amount,
}

/// One row of the récapitulatif TVA.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct VatSummaryLine {
    /// The rate.
    pub rate: VatRate,
    /// Base HT: the sum of the rounded line HT amounts at this rate.
    pub base: Amount,
    /// Montant TVA: base × rate, rounded half-up to the cent.
    pub vat: Amount,
}

/// The amounts a learner typed by hand, to compare with [`compute_totals`].
///
/// A `None` amount is a field left empty and is reported as missing. An empty `lines` or
/// `vat_summary` list means the exercise does not ask for those rows, and they are not checked.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct TypedTotals {
    /// Typed line HT amounts, one per invoice line.
    pub lines: Vec<Option<Amount>>,
    /// Typed récapitulatif TVA rows, in any order.
    pub vat_summary: Vec<TypedVatLine>,
    /// Typed total HT.
    pub total_ht: Option<Amount>,
    /// Typed total TVA.
    pub total_vat: Option<Amount>,
    /// Typed total TTC.
    pub total_ttc: Option<Amount>,
    /// Typed net à payer.
    pub net_to_pay: Option<Amount>,
}

/// One typed row of the récapitulatif TVA.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct TypedVatLine {
    /// The rate chosen for the row.
    pub rate: Option<VatRate>,
    /// Typed base HT.
    pub base: Option<Amount>,
    /// Typed VAT amount.
    pub vat: Option<Amount>,
}

/// Computes line amounts, the VAT summary and the totals of a form.
///
/// Never fails: field problems (missing rate, negative line…) are for the field rules.
///
/// ```
/// use didact_sim::invoice::{compute_totals, Amount, InvoiceForm, InvoiceLine, VatRate};
/// use rust_decimal::Decimal;
/// let form = InvoiceForm {
///     lines: vec![InvoiceLine::new("Livres", Decimal::ONE, Decimal::new(1900, 2), VatRate::Reduced)],
///     ..InvoiceForm::default()
/// };
/// let totals = compute_totals(&form);
/// assert_eq!(totals.total_vat, Amount::from_cents(105)); // 19,00 × 5,5 % = 1,045 → 1,05
/// assert_eq!(totals.total_ttc, Amount::from_cents(2005));
/// ```
pub fn compute_totals(form: &InvoiceForm) -> Totals {
    let lines: Vec<Amount> = form
        .lines
        .iter()
        .map(|line| {
            let gross = Amount::new(line.quantity * line.unit_price);
            (gross - line.discount).round_to_cent()
        })
        .collect();
    let vat_summary: Vec<VatSummaryLine> = VatRate::ALL
        .into_iter()
        .filter_map(|rate| {
            let mut at_rate = form
                .lines
                .iter()
                .zip(&lines)
                .filter(|(line, _)| line.vat_rate == Some(rate))
                .peekable();
            at_rate.peek()?;
            let base: Amount = at_rate.map(|(_, net)| *net).sum();
            let vat = base.percent(rate.percent()).round_to_cent();
            Some(VatSummaryLine { rate, base, vat })
        })
        .collect();
    let total_ht: Amount = lines.iter().copied().sum::<Amount>().round_to_cent();
    let total_vat: Amount = vat_summary
        .iter()
        .map(|row| row.vat)
        .sum::<Amount>()
        .round_to_cent();
    let total_ttc = total_ht + total_vat;
    let already_paid = form.already_paid;
    Totals {
        lines,
        vat_summary,
        total_ht,
        total_vat,
        total_ttc,
        already_paid,
        net_to_pay: total_ttc - already_paid,
    }
}

/// Compares amounts typed by the learner with the computed ones and says which line, rate or
/// total is wrong.
///
/// Totals that contradict each other (TTC ≠ HT + TVA, net ≠ TTC − déjà payé) are reported as
/// inconsistent rather than merely wrong, because that is the mistake to explain.
/// Messages do not reveal the expected amount; the rule explains how to compute it.
pub fn check_typed_totals(form: &InvoiceForm, typed: &TypedTotals) -> Vec<FieldError> {
    let totals = compute_totals(form);
    let mut res = Vec::new();

    if !typed.lines.is_empty() {
        for (line_idx, expected) in totals.lines.iter().enumerate() {
            let field = format!("lines[{line_idx}].net");
            match typed.lines.get(line_idx).copied().flatten() {
                None => res.push(missing(
                    &field,
                    &format!("le montant HT de la ligne {}", line_idx + 1),
                )),
                Some(value) => {
                    if let Some(error) = too_many_decimals(&field, value) {
                        res.push(error);
                    } else if value != *expected {
                        res.push(FieldError::new(
                            &field,
                            "line-net-wrong",
                            format!("Le montant HT de la ligne {} est erroné.", line_idx + 1),
                            RULE_LINE_NET,
                        ));
                    }
                }
            }
        }
    }

    if !typed.vat_summary.is_empty() {
        check_typed_vat_summary(&totals, &typed.vat_summary, &mut res);
    }

    // Amounts with too many decimals are reported once, not used to judge the others.
    let usable = |value: Option<Amount>| value.filter(|amount| amount.decimals() <= 2);
    let typed_lines_sum: Option<Amount> = typed.lines.iter().map(|line| usable(*line)).sum();
    check_total(
        &mut res,
        TotalCheck {
            field: "total_ht",
            label: "le montant total HT",
            typed: typed.total_ht,
            expected: totals.total_ht,
            from_typed: typed_lines_sum.filter(|_| !typed.lines.is_empty()),
            wrong_code: "total-ht-wrong",
            inconsistent_code: "total-ht-inconsistent",
            inconsistent_message:
                "Le total HT doit être égal à la somme des montants HT des lignes.",
            rule: RULE_TOTAL_HT,
        },
    );
    let typed_vat_sum: Option<Amount> = typed.vat_summary.iter().map(|row| usable(row.vat)).sum();
    check_total(
        &mut res,
        TotalCheck {
            field: "total_vat",
            label: "le montant total de TVA",
            typed: typed.total_vat,
            expected: totals.total_vat,
            from_typed: typed_vat_sum.filter(|_| !typed.vat_summary.is_empty()),
            wrong_code: "total-vat-wrong",
            inconsistent_code: "total-vat-inconsistent",
            inconsistent_message: "Le total de TVA doit être égal à la somme des TVA par taux.",
            rule: RULE_TOTAL_VAT,
        },
    );
    let typed_ht_plus_vat = usable(typed.total_ht)
        .zip(usable(typed.total_vat))
        .map(|(ht, vat)| ht + vat);
    check_total(
        &mut res,
        TotalCheck {
            field: "total_ttc",
            label: "le montant TTC",
            typed: typed.total_ttc,
            expected: totals.total_ttc,
            from_typed: typed_ht_plus_vat,
            wrong_code: "total-ttc-wrong",
            inconsistent_code: "total-ttc-inconsistent",
            inconsistent_message: "Le montant TTC doit être égal au total HT + total TVA.",
            rule: RULE_TOTAL_TTC,
        },
    );
    check_total(
        &mut res,
        TotalCheck {
            field: "net_to_pay",
            label: "le net à payer",
            typed: typed.net_to_pay,
            expected: totals.net_to_pay,
            from_typed: usable(typed.total_ttc).map(|ttc| ttc - form.already_paid),
            wrong_code: "net-to-pay-wrong",
            inconsistent_code: "net-to-pay-inconsistent",
            inconsistent_message:
                "Le net à payer doit être égal au montant TTC − montant déjà payé.",
            rule: RULE_NET_TO_PAY,
        },
    );
    res
}

const RULE_LINE_NET: &str =
    "Montant HT d'une ligne = quantité × prix unitaire HT − remise, arrondi au centime \
(arrondi commercial : 0,005 et plus s'arrondit au centime supérieur).";
const RULE_VAT_BASE: &str =
    "La base HT d'un taux est la somme des montants HT (arrondis) des lignes à ce taux.";
const RULE_VAT_AMOUNT: &str =
    "La TVA d'un taux = base HT × taux, arrondie au centime une seule fois par taux \
(et non ligne par ligne).";
const RULE_VAT_ROWS: &str =
    "Le récapitulatif de TVA comporte une ligne par taux utilisé dans les lignes de la facture.";
const RULE_TOTAL_HT: &str = "Total HT = somme des montants HT des lignes.";
const RULE_TOTAL_VAT: &str = "Total TVA = somme des montants de TVA de chaque taux.";
const RULE_TOTAL_TTC: &str = "Montant TTC = total HT + total TVA, exactement.";
const RULE_NET_TO_PAY: &str = "Net à payer = montant TTC − montant déjà payé.";
const RULE_DECIMALS: &str = "Un montant en euros a au plus deux décimales (les centimes).";

struct TotalCheck {
    field: &'static str,
    label: &'static str,
    typed: Option<Amount>,
    expected: Amount,
    /// What the other typed amounts imply, when they are all there.
    from_typed: Option<Amount>,
    wrong_code: &'static str,
    inconsistent_code: &'static str,
    inconsistent_message: &'static str,
    rule: &'static str,
}

fn check_total(res: &mut Vec<FieldError>, check: TotalCheck) {
    let Some(value) = check.typed else {
        res.push(missing(check.field, check.label));
        return;
    };
    if let Some(error) = too_many_decimals(check.field, value) {
        res.push(error);
    } else if check.from_typed.is_some_and(|implied| implied != value) {
        res.push(FieldError::new(
            check.field,
            check.inconsistent_code,
            check.inconsistent_message.to_owned(),
            check.rule,
        ));
    } else if value != check.expected {
        res.push(FieldError::new(
            check.field,
            check.wrong_code,
            format!("{} est erroné.", capitalise(check.label)),
            check.rule,
        ));
    }
}

fn check_typed_vat_summary(
    totals: &Totals,
    typed_rows: &[TypedVatLine],
    res: &mut Vec<FieldError>,
) {
    for (row_idx, row) in typed_rows.iter().enumerate() {
        let Some(rate) = row.rate else {
            res.push(missing(
                &format!("vat_summary[{row_idx}].rate"),
                "le taux de TVA",
            ));
            continue;
        };
        let Some(expected) = totals
            .vat_summary
            .iter()
            .find(|summary| summary.rate == rate)
        else {
            res.push(FieldError::new(
                format!("vat_summary[{row_idx}].rate"),
                "vat-rate-unexpected",
                format!(
                    "Aucune ligne de la facture n'est au taux de {}.",
                    rate.label()
                ),
                RULE_VAT_ROWS,
            ));
            continue;
        };
        if typed_rows[..row_idx]
            .iter()
            .any(|earlier| earlier.rate == Some(rate))
        {
            res.push(FieldError::new(
                format!("vat_summary[{row_idx}].rate"),
                "vat-rate-duplicate",
                format!(
                    "Le taux de {} apparaît deux fois dans le récapitulatif.",
                    rate.label()
                ),
                RULE_VAT_ROWS,
            ));
            continue;
        }
        let parts = [
            (
                row.base,
                expected.base,
                "base",
                "vat-base-wrong",
                RULE_VAT_BASE,
            ),
            (
                row.vat,
                expected.vat,
                "vat",
                "vat-amount-wrong",
                RULE_VAT_AMOUNT,
            ),
        ];
        for (value, expected_value, part, code, rule) in parts {
            let field = format!("vat_summary[{row_idx}].{part}");
            let (what, wrong) = if part == "base" {
                ("la base HT", "La base HT au taux de {rate} est erronée.")
            } else {
                (
                    "le montant de TVA",
                    "Le montant de TVA au taux de {rate} est erroné.",
                )
            };
            match value {
                None => res.push(missing(
                    &field,
                    &format!("{what} au taux de {}", rate.label()),
                )),
                Some(value) => {
                    if let Some(error) = too_many_decimals(&field, value) {
                        res.push(error);
                    } else if value != expected_value {
                        res.push(FieldError::new(
                            &field,
                            code,
                            wrong.replace("{rate}", rate.label()),
                            rule,
                        ));
                    }
                }
            }
        }
    }
    for expected in &totals.vat_summary {
        if !typed_rows.iter().any(|row| row.rate == Some(expected.rate)) {
            res.push(FieldError::new(
                "vat_summary",
                "vat-rate-missing",
                format!(
                    "Il manque la ligne du taux de {} dans le récapitulatif de TVA.",
                    expected.rate.label()
                ),
                RULE_VAT_ROWS,
            ));
        }
    }
}

fn missing(field: &str, label: &str) -> FieldError {
    FieldError::new(
        field,
        "amount-missing",
        format!("Saisissez {label}."),
        "Tous les montants du récapitulatif doivent être renseignés.",
    )
}

fn too_many_decimals(field: &str, value: Amount) -> Option<FieldError> {
    (value.decimals() > 2).then(|| {
        FieldError::new(
            field,
            "amount-too-many-decimals",
            "Ce montant comporte plus de 2 décimales.".to_owned(),
            RULE_DECIMALS,
        )
    })
}

fn capitalise(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::invoice::amount::parse_decimal_fr;
    use crate::invoice::form::{InvoiceKind, InvoiceLine};
    use proptest::prelude::*;
    use rust_decimal::Decimal;

    /// (quantity, unit price, discount, rate), French notation.
    type LineSpec<'a> = (&'a str, &'a str, &'a str, VatRate);

    fn amount(text: &str) -> Amount {
        Amount::parse_fr(text).unwrap()
    }

    fn form(lines: &[LineSpec<'_>], already_paid: &str) -> InvoiceForm {
        InvoiceForm {
            lines: lines
                .iter()
                .map(|(quantity, unit_price, discount, rate)| InvoiceLine {
                    description: "Ligne".to_owned(),
                    quantity: parse_decimal_fr(quantity).unwrap(),
                    unit_price: parse_decimal_fr(unit_price).unwrap(),
                    discount: amount(discount),
                    vat_rate: Some(*rate),
                    ..InvoiceLine::default()
                })
                .collect(),
            already_paid: amount(already_paid),
            ..InvoiceForm::default()
        }
    }

    /// Checks HT, TVA, TTC and net à payer against the reference's table.
    #[track_caller]
    fn check(lines: &[LineSpec<'_>], already_paid: &str, expected: [&str; 4]) {
        let totals = compute_totals(&form(lines, already_paid));
        let got = [
            totals.total_ht,
            totals.total_vat,
            totals.total_ttc,
            totals.net_to_pay,
        ];
        assert_eq!(got, expected.map(amount));
    }

    use VatRate::{
        Intermediate as R10, Normal as R20, Reduced as R5_5, Special as R2_1, Zero as R0,
    };

    #[test]
    fn amt_01_basic() {
        check(
            &[("1", "1 000,00", "0", R20)],
            "0",
            ["1 000,00", "200,00", "1 200,00", "1 200,00"],
        );
    }

    #[test]
    fn amt_02_four_french_rates() {
        let lines = [
            ("10", "25,00", "0", R20),
            ("1", "120,50", "0", R10),
            ("3", "29,99", "0", R5_5),
            ("2", "7,50", "0", R2_1),
        ];
        check(&lines, "0", ["475,47", "67,32", "542,79", "542,79"]);
        let summary = compute_totals(&form(&lines, "0")).vat_summary;
        let vats: Vec<Amount> = summary.iter().map(|row| row.vat).collect();
        assert_eq!(vats, ["50,00", "12,05", "4,95", "0,32"].map(amount));
        let rates: Vec<VatRate> = summary.iter().map(|row| row.rate).collect();
        assert_eq!(rates, [R20, R10, R5_5, R2_1]);
    }

    #[test]
    fn amt_03_vat_is_rounded_half_up() {
        // 19,00 × 5,5 % = 1,045 → 1,05.
        check(
            &[("1", "19,00", "0", R5_5)],
            "0",
            ["19,00", "1,05", "20,05", "20,05"],
        );
    }

    #[test]
    fn amt_04_vat_is_rounded_per_rate_not_per_line() {
        let lines = [
            ("1", "3,33", "0", R20),
            ("1", "3,33", "0", R20),
            ("1", "3,33", "0", R20),
        ];
        // Per line it would be 3 × 0,67 = 2,01.
        check(&lines, "0", ["9,99", "2,00", "11,99", "11,99"]);
    }

    #[test]
    fn amt_05_discount_comes_off_before_vat() {
        check(
            &[("10", "45,00", "45,00", R20)],
            "0",
            ["405,00", "81,00", "486,00", "486,00"],
        );
    }

    #[test]
    fn amt_06_already_paid_comes_off_the_net() {
        check(
            &[("1", "2 500,00", "0", R20)],
            "900,00",
            ["2 500,00", "500,00", "3 000,00", "2 100,00"],
        );
    }

    #[test]
    fn amt_07_and_08_exempt_and_reverse_charge_lines_have_no_vat() {
        check(
            &[("1", "800,00", "0", R0)],
            "0",
            ["800,00", "0,00", "800,00", "800,00"],
        );
        check(
            &[("1", "12 000,00", "0", R0)],
            "0",
            ["12 000,00", "0,00", "12 000,00", "12 000,00"],
        );
    }

    #[test]
    fn amt_09_works_at_ten_percent() {
        let lines = [
            ("120,5", "38,40", "0", R10),
            ("1", "1 250,00", "0", R10),
            ("35", "48,00", "0", R10),
        ];
        check(&lines, "0", ["7 557,20", "755,72", "8 312,92", "8 312,92"]);
    }

    #[test]
    fn amt_10_line_ht_is_rounded_to_the_cent() {
        // 2,5 × 33,33 = 83,325 → 83,33.
        check(
            &[("2,5", "33,33", "0", R20)],
            "0",
            ["83,33", "16,67", "100,00", "100,00"],
        );
    }

    #[test]
    fn amt_11_an_avoir_has_positive_amounts() {
        let mut avoir = form(&[("1", "100,00", "0", R20)], "0");
        avoir.kind = InvoiceKind::Avoir;
        let totals = compute_totals(&avoir);
        assert_eq!(
            [totals.total_ht, totals.total_vat, totals.total_ttc],
            ["100,00", "20,00", "120,00"].map(amount)
        );
    }

    #[test]
    fn amt_12_mixed_taxed_and_exempt_lines() {
        let lines = [("4", "62,50", "0", R20), ("1", "30,00", "0", R0)];
        check(&lines, "0", ["280,00", "50,00", "330,00", "330,00"]);
        let summary = compute_totals(&form(&lines, "0")).vat_summary;
        assert_eq!(
            summary[1],
            VatSummaryLine {
                rate: R0,
                base: amount("30"),
                vat: Amount::ZERO
            }
        );
    }

    #[test]
    fn lines_without_a_rate_count_in_ht_but_not_in_the_summary() {
        let mut no_rate = form(&[("1", "10", "0", R20), ("1", "5", "0", R20)], "0");
        no_rate.lines[1].vat_rate = None;
        let totals = compute_totals(&no_rate);
        assert_eq!(totals.total_ht, amount("15"));
        assert_eq!(totals.vat_summary.len(), 1);
        assert_eq!(totals.total_vat, amount("2"));
    }

    // --- check_typed_totals -------------------------------------------------------------

    fn typed(lines: &[&str], vat: &[(VatRate, &str, &str)], totals: [&str; 4]) -> TypedTotals {
        let opt = |text: &str| (!text.is_empty()).then(|| amount(text));
        TypedTotals {
            lines: lines.iter().map(|text| opt(text)).collect(),
            vat_summary: vat
                .iter()
                .map(|(rate, base, vat)| TypedVatLine {
                    rate: Some(*rate),
                    base: opt(base),
                    vat: opt(vat),
                })
                .collect(),
            total_ht: opt(totals[0]),
            total_vat: opt(totals[1]),
            total_ttc: opt(totals[2]),
            net_to_pay: opt(totals[3]),
        }
    }

    #[track_caller]
    fn check_typed(form: &InvoiceForm, typed: &TypedTotals, expected: &[(&str, &str)]) {
        let errors = check_typed_totals(form, typed);
        let got: Vec<(&str, &str)> = errors
            .iter()
            .map(|error| (error.field.as_str(), error.code))
            .collect();
        assert_eq!(got, expected, "{errors:#?}");
        assert!(errors
            .iter()
            .all(|error| !error.message.is_empty() && !error.rule.is_empty()));
    }

    #[test]
    fn correct_typed_totals_pass() {
        let amt02 = form(
            &[
                ("10", "25,00", "0", R20),
                ("1", "120,50", "0", R10),
                ("3", "29,99", "0", R5_5),
                ("2", "7,50", "0", R2_1),
            ],
            "0",
        );
        let good = typed(
            &["250,00", "120,50", "89,97", "15,00"],
            &[
                (R5_5, "89,97", "4,95"),
                (R20, "250,00", "50,00"),
                (R2_1, "15,00", "0,32"),
                (R10, "120,50", "12,05"),
            ],
            ["475,47", "67,32", "542,79", "542,79"],
        );
        check_typed(&amt02, &good, &[]);
    }

    #[test]
    fn ttc_that_is_not_ht_plus_vat_is_inconsistent() {
        // Reference 9.5: HT 1 000,00 / TVA 200,00 / TTC 1 210,00.
        let amt01 = form(&[("1", "1 000,00", "0", R20)], "0");
        let typed = typed(&[], &[], ["1 000,00", "200,00", "1 210,00", "1 210,00"]);
        check_typed(
            &amt01,
            &typed,
            &[
                ("total_ttc", "total-ttc-inconsistent"),
                ("net_to_pay", "net-to-pay-wrong"),
            ],
        );
    }

    #[test]
    fn net_that_ignores_already_paid_is_inconsistent() {
        // Reference 9.5: net 3 000,00 with TTC 3 000,00 and 900,00 already paid.
        let amt06 = form(&[("1", "2 500,00", "0", R20)], "900,00");
        let typed = typed(&[], &[], ["2 500,00", "500,00", "3 000,00", "3 000,00"]);
        check_typed(&amt06, &typed, &[("net_to_pay", "net-to-pay-inconsistent")]);
    }

    #[test]
    fn a_wrongly_rounded_line_is_pointed_at() {
        let amt10 = form(&[("1", "5", "0", R0), ("2,5", "33,33", "0", R20)], "0");
        // 83,32: truncated instead of rounded; the totals follow the wrong line consistently.
        let typed = typed(
            &["5,00", "83,32"],
            &[],
            ["88,32", "16,66", "104,98", "104,98"],
        );
        check_typed(
            &amt10,
            &typed,
            &[
                ("lines[1].net", "line-net-wrong"),
                ("total_ht", "total-ht-wrong"),
                ("total_vat", "total-vat-wrong"),
                ("total_ttc", "total-ttc-wrong"),
                ("net_to_pay", "net-to-pay-wrong"),
            ],
        );
    }

    #[test]
    fn vat_rounded_per_line_is_pointed_at_its_rate() {
        let amt04 = form(
            &[
                ("1", "3,33", "0", R20),
                ("1", "3,33", "0", R20),
                ("1", "3,33", "0", R20),
            ],
            "0",
        );
        let typed = typed(
            &[],
            &[(R20, "9,99", "2,01")],
            ["9,99", "2,01", "12,00", "12,00"],
        );
        check_typed(
            &amt04,
            &typed,
            &[
                ("vat_summary[0].vat", "vat-amount-wrong"),
                ("total_vat", "total-vat-wrong"),
                ("total_ttc", "total-ttc-wrong"),
                ("net_to_pay", "net-to-pay-wrong"),
            ],
        );
    }

    #[test]
    fn vat_summary_rows_must_match_the_rates_used() {
        let amt12 = form(&[("4", "62,50", "0", R20), ("1", "30,00", "0", R0)], "0");
        let typed = typed(
            &[],
            &[
                (R20, "250,00", "50,00"),
                (R10, "30,00", "0,00"),
                (R20, "250,00", "50,00"),
            ],
            ["280,00", "50,00", "330,00", "330,00"],
        );
        check_typed(
            &amt12,
            &typed,
            &[
                ("vat_summary[1].rate", "vat-rate-unexpected"),
                ("vat_summary[2].rate", "vat-rate-duplicate"),
                ("vat_summary", "vat-rate-missing"),
                ("total_vat", "total-vat-inconsistent"),
            ],
        );
    }

    #[test]
    fn missing_and_over_precise_typed_amounts_are_reported() {
        let amt03 = form(&[("1", "19,00", "0", R5_5)], "0");
        let mut typed = typed(
            &[""],
            &[(R5_5, "19,00", "")],
            ["19,00", "", "20,05", "20,05"],
        );
        typed.total_vat = Some(Amount::new(Decimal::new(1045, 3)));
        check_typed(
            &amt03,
            &typed,
            &[
                ("lines[0].net", "amount-missing"),
                ("vat_summary[0].vat", "amount-missing"),
                ("total_vat", "amount-too-many-decimals"),
            ],
        );
    }

    // --- properties ---------------------------------------------------------------------

    fn arb_line() -> impl Strategy<Value = InvoiceLine> {
        (
            1i64..1_000_000,
            0u32..=4,
            0i64..100_000_000,
            0u32..=4,
            0u32..=100,
            0usize..5,
        )
            .prop_map(
                |(quantity, quantity_scale, price, price_scale, discount_percent, rate_idx)| {
                    let quantity = Decimal::new(quantity, quantity_scale);
                    let unit_price = Decimal::new(price, price_scale);
                    // A discount between 0 and the gross amount, in cents.
                    let gross = quantity * unit_price;
                    let discount = (gross * Decimal::from(discount_percent) / Decimal::ONE_HUNDRED)
                        .round_dp_with_strategy(2, rust_decimal::RoundingStrategy::ToZero);
                    InvoiceLine {
                        description: "Ligne".to_owned(),
                        quantity,
                        unit_price,
                        discount: Amount::new(discount),
                        vat_rate: Some(VatRate::ALL[rate_idx]),
                        ..InvoiceLine::default()
                    }
                },
            )
    }

    proptest! {
        #[test]
        fn totals_add_up_for_any_invoice(
            lines in prop::collection::vec(arb_line(), 1..12),
            paid_percent in 0u32..=100,
        ) {
            let mut invoice = InvoiceForm { lines, ..InvoiceForm::default() };
            let before_paid = compute_totals(&invoice);
            invoice.already_paid = Amount::new(
                (before_paid.total_ttc.value() * Decimal::from(paid_percent) / Decimal::ONE_HUNDRED)
                    .round_dp_with_strategy(2, rust_decimal::RoundingStrategy::ToZero),
            );
            let totals = compute_totals(&invoice);

            prop_assert_eq!(totals.total_ttc, totals.total_ht + totals.total_vat);
            prop_assert_eq!(totals.total_ht, totals.lines.iter().copied().sum::<Amount>());
            prop_assert_eq!(totals.net_to_pay, totals.total_ttc - invoice.already_paid);
            prop_assert_eq!(totals.total_ht, totals.vat_summary.iter().map(|row| row.base).sum::<Amount>());
            prop_assert_eq!(totals.total_vat, totals.vat_summary.iter().map(|row| row.vat).sum::<Amount>());
            for (line, net) in invoice.lines.iter().zip(&totals.lines) {
                prop_assert!(net.decimals() <= 2);
                let exact = line.quantity * line.unit_price - line.discount.value();
                prop_assert!((net.value() - exact).abs() <= Decimal::new(5, 3));
            }
            for amount in [totals.total_ht, totals.total_vat, totals.total_ttc, totals.net_to_pay] {
                prop_assert!(amount.decimals() <= 2);
            }

            let typed = TypedTotals {
                lines: totals.lines.iter().copied().map(Some).collect(),
                vat_summary: totals
                    .vat_summary
                    .iter()
                    .map(|row| TypedVatLine { rate: Some(row.rate), base: Some(row.base), vat: Some(row.vat) })
                    .collect(),
                total_ht: Some(totals.total_ht),
                total_vat: Some(totals.total_vat),
                total_ttc: Some(totals.total_ttc),
                net_to_pay: Some(totals.net_to_pay),
            };
            prop_assert_eq!(check_typed_totals(&invoice, &typed), Vec::new());
        }
    }
}
