//! Money: [`Amount`], French parsing and formatting, half-up rounding, and [`VatRate`].
//!
//! Parsing accepts what a French learner types: « 1 234,56 », « 1234.56 », « 1 234,56 € »,
//! with a space, a no-break space (U+00A0) or a narrow no-break space (U+202F) between
//! groups of three digits.
//! Formatting writes what `Intl.NumberFormat("fr-FR", { style: "currency", currency: "EUR" })`
//! writes in a browser: a narrow no-break space between thousands, a decimal comma, always two
//! decimals, and a no-break space before « € ».

use core::fmt;
use core::str::FromStr;

use rust_decimal::{Decimal, RoundingStrategy};
use serde::{Deserialize, Serialize};

/// A sum of money in euros.
///
/// Serialised as a decimal string (`"1234.56"`), never as a float, so that it crosses the wasm
/// boundary without loss.
/// An `Amount` may hold more than two decimals while a computation is in progress (a quantity ×
/// a unit price); [`Amount::round_to_cent`] brings it back to the cent.
///
/// ```
/// use didact_sim::invoice::Amount;
/// let vat = Amount::parse_fr("19,00").unwrap().percent(Amount::parse_fr("5,5").unwrap().value());
/// assert_eq!(vat.round_to_cent().to_fr_string(), "1,05\u{a0}€");
/// ```
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
#[serde(transparent)]
pub struct Amount(#[serde(with = "rust_decimal::serde::str")] Decimal);

/// Why a typed amount (or number) could not be read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AmountParseError {
    /// Nothing was typed.
    Empty,
    /// A character that is neither a digit, a separator, a sign nor « € ».
    InvalidCharacter(char),
    /// Two decimal separators, or a separator with no digit on one side.
    MisplacedSeparator,
    /// Thousands groups that are not groups of three digits (« 12 34 »).
    BadGrouping,
    /// More decimals than allowed (money amounts have at most two, EN 16931 BR-DEC).
    TooManyDecimals {
        /// The number of decimals allowed where the value was typed.
        max: u32,
    },
    /// The number is too large to be represented.
    TooLarge,
}

/// A French VAT rate, as offered in the rate list of an invoice line.
///
/// Rates in force per GOBL `regimes/fr/tax_categories.go` (reference section 2.5):
/// 20 % (taux normal), 10 % (intermédiaire), 5,5 % (réduit), 2,1 % (particulier) and 0 %.
/// The old 19,6 % standard rate is refused ([`VatRate::parse_fr`]); manual rates (« taux
/// manuel ») are not modelled.
/// Serialised as the percentage with a decimal point: `"20"`, `"10"`, `"5.5"`, `"2.1"`, `"0"`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum VatRate {
    /// 20 %, taux normal.
    #[serde(rename = "20")]
    Normal,
    /// 10 %, taux intermédiaire (e.g. renovation works).
    #[serde(rename = "10")]
    Intermediate,
    /// 5,5 %, taux réduit.
    #[serde(rename = "5.5")]
    Reduced,
    /// 2,1 %, taux particulier.
    #[serde(rename = "2.1")]
    Special,
    /// 0 %: exempt lines, franchise en base, autoliquidation.
    #[serde(rename = "0")]
    Zero,
}

/// Why a typed VAT rate was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum VatRateParseError {
    /// Not a number.
    NotANumber,
    /// 19,6 %: the standard rate before 2014.
    OldStandardRate,
    /// A number that is not one of the French rates.
    UnknownRate,
}

impl Amount {
    /// Zero euro.
    pub const ZERO: Amount = Amount(Decimal::ZERO);

    /// Wraps a decimal value, unchanged (no rounding).
    pub fn new(value: Decimal) -> Amount {
        Amount(value)
    }

    /// Builds an amount from a whole number of cents: `Amount::from_cents(105)` is 1,05 €.
    pub fn from_cents(cents: i64) -> Amount {
        Amount(Decimal::new(cents, 2))
    }

    /// The decimal value.
    pub fn value(self) -> Decimal {
        self.0
    }

    /// Rounds to the cent, half-up (a midpoint goes away from zero): 1,045 → 1,05 and
    /// −1,045 → −1,05.
    ///
    /// The simulator's rule (reference 3.2, « arrondi commercial »); Chorus Pro's own rounding
    /// mode is *unconfirmed*.
    pub fn round_to_cent(self) -> Amount {
        Amount(with_two_decimals(self.0.round_dp_with_strategy(
            2,
            RoundingStrategy::MidpointAwayFromZero,
        )))
    }

    /// `self × rate / 100`, unrounded.
    pub fn percent(self, rate: Decimal) -> Amount {
        Amount(self.0 * rate / Decimal::ONE_HUNDRED)
    }

    /// The number of decimals actually used (trailing zeros ignored): 1,50 has one.
    pub fn decimals(self) -> u32 {
        self.0.normalize().scale()
    }

    /// Whether the amount is below zero.
    pub fn is_negative(self) -> bool {
        self.0.is_sign_negative() && !self.0.is_zero()
    }

    /// Whether the amount is zero.
    pub fn is_zero(self) -> bool {
        self.0.is_zero()
    }

    /// Reads a money amount typed in French or with a decimal point; at most two decimals.
    ///
    /// ```
    /// use didact_sim::invoice::Amount;
    /// assert_eq!(Amount::parse_fr("1\u{202f}234,56 €"), Ok(Amount::from_cents(123_456)));
    /// assert!(Amount::parse_fr("100,005").is_err());
    /// ```
    pub fn parse_fr(text: &str) -> Result<Amount, AmountParseError> {
        let value = parse_decimal_fr(text)?;
        if value.normalize().scale() > 2 {
            return Err(AmountParseError::TooManyDecimals { max: 2 });
        }
        Ok(Amount(with_two_decimals(value)))
    }

    /// Formats as the portal shows money: rounded to the cent, « 1 234,56 € » (narrow no-break
    /// space between thousands, no-break space before « € »).
    pub fn to_fr_string(self) -> String {
        let mut res = self.to_fr_number();
        res.push('\u{a0}');
        res.push('€');
        res
    }

    /// Formats like [`Amount::to_fr_string`] without the currency sign: « 1 234,56 ».
    pub fn to_fr_number(self) -> String {
        let rounded = self.round_to_cent().0;
        let text = rounded.abs().to_string();
        let (int_part, frac_part) = text.split_once('.').unwrap_or((text.as_str(), "00"));
        let mut res = String::new();
        if rounded.is_sign_negative() && !rounded.is_zero() {
            res.push('-');
        }
        res.push_str(&group_thousands(int_part));
        res.push(',');
        res.push_str(frac_part);
        res
    }
}

impl fmt::Display for Amount {
    /// Same as [`Amount::to_fr_string`].
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str(&self.to_fr_string())
    }
}

impl core::ops::Add for Amount {
    type Output = Amount;
    fn add(self, other: Amount) -> Amount {
        Amount(self.0 + other.0)
    }
}

impl core::ops::Sub for Amount {
    type Output = Amount;
    fn sub(self, other: Amount) -> Amount {
        Amount(self.0 - other.0)
    }
}

impl core::iter::Sum for Amount {
    fn sum<I: Iterator<Item = Amount>>(iter: I) -> Amount {
        iter.fold(Amount::ZERO, |acc, amount| acc + amount)
    }
}

impl AmountParseError {
    /// A stable code for [`super::FieldError::code`].
    pub fn code(self) -> &'static str {
        match self {
            AmountParseError::Empty => "amount-empty",
            AmountParseError::InvalidCharacter(_) => "amount-invalid-character",
            AmountParseError::MisplacedSeparator => "amount-misplaced-separator",
            AmountParseError::BadGrouping => "amount-bad-grouping",
            AmountParseError::TooManyDecimals { .. } => "amount-too-many-decimals",
            AmountParseError::TooLarge => "amount-too-large",
        }
    }

    /// The message shown to the learner, in French.
    pub fn message_fr(self) -> String {
        match self {
            AmountParseError::Empty => "Saisissez un montant.".to_owned(),
            AmountParseError::InvalidCharacter(found) => {
                format!("Caractère « {found} » non autorisé dans un montant.")
            }
            AmountParseError::MisplacedSeparator => {
                "Un montant comporte au plus une virgule décimale, suivie de chiffres.".to_owned()
            }
            AmountParseError::BadGrouping => {
                "Les espaces séparent des groupes de trois chiffres (ex. : 1 234,56).".to_owned()
            }
            AmountParseError::TooManyDecimals { max } => {
                format!("Ce montant comporte plus de {max} décimales.")
            }
            AmountParseError::TooLarge => "Ce montant est trop grand.".to_owned(),
        }
    }
}

impl fmt::Display for AmountParseError {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str(&self.message_fr())
    }
}

impl VatRate {
    /// Every rate, in the order of the rate list.
    pub const ALL: [VatRate; 5] = [
        VatRate::Normal,
        VatRate::Intermediate,
        VatRate::Reduced,
        VatRate::Special,
        VatRate::Zero,
    ];

    /// The rate as a percentage: 5,5 % is `5.5`.
    pub fn percent(self) -> Decimal {
        match self {
            VatRate::Normal => Decimal::new(20, 0),
            VatRate::Intermediate => Decimal::new(10, 0),
            VatRate::Reduced => Decimal::new(55, 1),
            VatRate::Special => Decimal::new(21, 1),
            VatRate::Zero => Decimal::ZERO,
        }
    }

    /// The label of the rate list: « 20 % », « 5,5 % » (no-break space before « % »).
    pub fn label(self) -> &'static str {
        match self {
            VatRate::Normal => "20\u{a0}%",
            VatRate::Intermediate => "10\u{a0}%",
            VatRate::Reduced => "5,5\u{a0}%",
            VatRate::Special => "2,1\u{a0}%",
            VatRate::Zero => "0\u{a0}%",
        }
    }

    /// Reads a typed rate (« 5,5 », « 5.5 % », « 20 »).
    ///
    /// « 19,6 » is refused with [`VatRateParseError::OldStandardRate`] (reference 2.5).
    pub fn parse_fr(text: &str) -> Result<VatRate, VatRateParseError> {
        let trimmed = text.trim().trim_end_matches('%');
        let value = parse_decimal_fr(trimmed).map_err(|_| VatRateParseError::NotANumber)?;
        if value == Decimal::new(196, 1) {
            return Err(VatRateParseError::OldStandardRate);
        }
        VatRate::ALL
            .into_iter()
            .find(|rate| rate.percent() == value)
            .ok_or(VatRateParseError::UnknownRate)
    }
}

impl VatRateParseError {
    /// A stable code for [`super::FieldError::code`].
    pub fn code(self) -> &'static str {
        match self {
            VatRateParseError::NotANumber => "vat-rate-not-a-number",
            VatRateParseError::OldStandardRate => "vat-rate-old",
            VatRateParseError::UnknownRate => "vat-rate-unknown",
        }
    }

    /// The message shown to the learner, in French.
    pub fn message_fr(self) -> &'static str {
        match self {
            VatRateParseError::NotANumber => "Saisissez un taux de TVA.",
            VatRateParseError::OldStandardRate => {
                "19,6 % est l'ancien taux normal : le taux normal est de 20 % depuis 2014."
            }
            VatRateParseError::UnknownRate => {
                "Taux de TVA inconnu : choisissez 20 %, 10 %, 5,5 %, 2,1 % ou 0 %."
            }
        }
    }
}

/// Reads a decimal number typed in French: decimal comma or point, spaces (plain, no-break or
/// narrow no-break) between groups of three digits, an optional sign and an optional « € ».
///
/// Used for money, quantities and unit prices; the caller limits the decimals.
pub fn parse_decimal_fr(text: &str) -> Result<Decimal, AmountParseError> {
    let trimmed = text.trim_matches(is_space);
    let trimmed = trimmed
        .strip_suffix('€')
        .unwrap_or(trimmed)
        .trim_matches(is_space);
    let (negative, unsigned) = match trimmed.strip_prefix(['-', '\u{2212}']) {
        Some(rest) => (true, rest.trim_start_matches(is_space)),
        None => (false, trimmed.strip_prefix('+').unwrap_or(trimmed)),
    };
    if unsigned.is_empty() {
        return Err(AmountParseError::Empty);
    }
    if let Some(bad) = unsigned
        .chars()
        .find(|c| !c.is_ascii_digit() && *c != ',' && *c != '.' && !is_space(*c))
    {
        return Err(AmountParseError::InvalidCharacter(bad));
    }
    let mut parts = unsigned.split([',', '.']);
    let int_part = parts.next().unwrap_or("");
    let frac_part = parts.next();
    if parts.next().is_some() {
        return Err(AmountParseError::MisplacedSeparator);
    }
    let int_digits = join_groups(int_part)?;
    let frac_digits = match frac_part {
        Some(frac) if frac.is_empty() || frac.chars().any(is_space) => {
            return Err(AmountParseError::MisplacedSeparator)
        }
        Some(frac) => frac,
        None => "",
    };
    if int_digits.is_empty() && frac_digits.is_empty() {
        return Err(AmountParseError::Empty);
    }
    if int_digits.is_empty() {
        return Err(AmountParseError::MisplacedSeparator);
    }
    let mut canonical = String::new();
    if negative {
        canonical.push('-');
    }
    canonical.push_str(&int_digits);
    if !frac_digits.is_empty() {
        canonical.push('.');
        canonical.push_str(frac_digits);
    }
    Decimal::from_str_exact(&canonical).map_err(|_| AmountParseError::TooLarge)
}

/// Sets the scale to two decimals; only called on values with at most two decimals, so exact.
fn with_two_decimals(mut value: Decimal) -> Decimal {
    value.rescale(2);
    value
}

fn is_space(c: char) -> bool {
    matches!(c, ' ' | '\u{a0}' | '\u{202f}' | '\u{2009}')
}

/// Removes thousands separators, checking that every group after the first has three digits.
fn join_groups(int_part: &str) -> Result<String, AmountParseError> {
    let groups: Vec<&str> = int_part.split(is_space).collect();
    if groups.len() == 1 {
        return Ok(int_part.to_owned());
    }
    let first_ok = (1..=3).contains(&groups[0].len());
    let rest_ok = groups[1..].iter().all(|group| group.len() == 3);
    if !first_ok || !rest_ok {
        return Err(AmountParseError::BadGrouping);
    }
    Ok(groups.concat())
}

fn group_thousands(digits: &str) -> String {
    let mut res = String::new();
    for (idx, digit) in digits.chars().enumerate() {
        if idx > 0 && (digits.len() - idx) % 3 == 0 {
            res.push('\u{202f}');
        }
        res.push(digit);
    }
    res
}

impl FromStr for Amount {
    type Err = AmountParseError;
    /// Same as [`Amount::parse_fr`].
    fn from_str(text: &str) -> Result<Amount, AmountParseError> {
        Amount::parse_fr(text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[track_caller]
    fn check_parse(text: &str, cents: i64) {
        assert_eq!(
            Amount::parse_fr(text),
            Ok(Amount::from_cents(cents)),
            "{text:?}"
        );
    }

    #[track_caller]
    fn check_parse_error(text: &str, expected: AmountParseError) {
        assert_eq!(Amount::parse_fr(text), Err(expected), "{text:?}");
    }

    #[test]
    fn french_and_point_notations_are_read() {
        check_parse("1 234,56", 123_456);
        check_parse("1234.56", 123_456);
        check_parse("1\u{a0}234,56", 123_456);
        check_parse("1\u{202f}234,56\u{a0}€", 123_456);
        check_parse("  12 000 ", 1_200_000);
        check_parse("0,5", 50);
        check_parse("-45,00", -4_500);
        check_parse("1 000 000,00 €", 100_000_000);
    }

    #[test]
    fn malformed_amounts_are_refused() {
        check_parse_error("", AmountParseError::Empty);
        check_parse_error(" € ", AmountParseError::Empty);
        check_parse_error("12a", AmountParseError::InvalidCharacter('a'));
        check_parse_error("1,234,56", AmountParseError::MisplacedSeparator);
        check_parse_error("1.234,56", AmountParseError::MisplacedSeparator);
        check_parse_error("12,", AmountParseError::MisplacedSeparator);
        check_parse_error(",5", AmountParseError::MisplacedSeparator);
        check_parse_error("12 34,00", AmountParseError::BadGrouping);
        check_parse_error("1234 567", AmountParseError::BadGrouping);
    }

    #[test]
    fn more_than_two_decimals_is_refused_for_money() {
        // Reference 9.5: « Amount 100,005: more than 2 decimals ».
        check_parse_error("100,005", AmountParseError::TooManyDecimals { max: 2 });
        // Trailing zeros do not count.
        check_parse("100,500", 10_050);
    }

    #[test]
    fn numbers_may_have_more_decimals_than_money() {
        assert_eq!(parse_decimal_fr("120,5"), Ok(Decimal::new(1205, 1)));
        assert_eq!(parse_decimal_fr("3,3333"), Ok(Decimal::new(33333, 4)));
    }

    #[test]
    fn rounding_is_half_up_away_from_zero() {
        let round = |cents_tenths: i64| Amount::new(Decimal::new(cents_tenths, 3)).round_to_cent();
        assert_eq!(round(1045), Amount::from_cents(105));
        assert_eq!(round(1044), Amount::from_cents(104));
        assert_eq!(round(-1045), Amount::from_cents(-105));
        assert_eq!(round(2005), Amount::from_cents(201));
    }

    #[test]
    fn nineteen_euros_at_five_and_a_half_percent_is_one_euro_five() {
        let vat = Amount::from_cents(1900).percent(VatRate::Reduced.percent());
        assert_eq!(vat.value(), Decimal::new(1045, 3));
        assert_eq!(vat.round_to_cent(), Amount::from_cents(105));
    }

    #[test]
    fn formatting_is_french() {
        assert_eq!(
            Amount::from_cents(123_456).to_fr_string(),
            "1\u{202f}234,56\u{a0}€"
        );
        assert_eq!(
            Amount::from_cents(100_000_000).to_fr_number(),
            "1\u{202f}000\u{202f}000,00"
        );
        assert_eq!(Amount::from_cents(5).to_fr_number(), "0,05");
        assert_eq!(Amount::from_cents(-4500).to_fr_number(), "-45,00");
        assert_eq!(Amount::ZERO.to_fr_number(), "0,00");
        assert_eq!(Amount::new(Decimal::new(1045, 3)).to_fr_number(), "1,05");
    }

    #[test]
    fn amounts_serialise_as_decimal_strings() {
        let amount = Amount::from_cents(123_456);
        assert_eq!(serde_json::to_string(&amount).unwrap(), r#""1234.56""#);
        let back: Amount = serde_json::from_str(r#""1234.56""#).unwrap();
        assert_eq!(back, amount);
    }

    #[test]
    fn vat_rates_parse_and_refuse_the_old_rate() {
        assert_eq!(VatRate::parse_fr("5,5"), Ok(VatRate::Reduced));
        assert_eq!(VatRate::parse_fr("2.1 %"), Ok(VatRate::Special));
        assert_eq!(VatRate::parse_fr("20"), Ok(VatRate::Normal));
        assert_eq!(VatRate::parse_fr("0"), Ok(VatRate::Zero));
        assert_eq!(
            VatRate::parse_fr("19,6"),
            Err(VatRateParseError::OldStandardRate)
        );
        assert_eq!(VatRate::parse_fr("7"), Err(VatRateParseError::UnknownRate));
        assert_eq!(
            VatRate::parse_fr("vingt"),
            Err(VatRateParseError::NotANumber)
        );
        assert_eq!(
            serde_json::to_string(&VatRate::Reduced).unwrap(),
            r#""5.5""#
        );
    }

    proptest! {
        #[test]
        fn french_formatting_round_trips(cents in -10_000_000_000i64..10_000_000_000i64) {
            let amount = Amount::from_cents(cents);
            prop_assert_eq!(Amount::parse_fr(&amount.to_fr_string()), Ok(amount));
            prop_assert_eq!(Amount::parse_fr(&amount.to_fr_number()), Ok(amount));
            let plain = amount.to_fr_number().replace('\u{202f}', "").replace(',', ".");
            prop_assert_eq!(Amount::parse_fr(&plain), Ok(amount));
        }

        #[test]
        fn rounding_moves_by_at_most_half_a_cent(millis in -1_000_000_000i64..1_000_000_000i64) {
            let amount = Amount::new(Decimal::new(millis, 3));
            let rounded = amount.round_to_cent();
            let diff = (rounded.value() - amount.value()).abs();
            prop_assert!(diff <= Decimal::new(5, 3));
            prop_assert!(rounded.decimals() <= 2);
        }
    }
}
