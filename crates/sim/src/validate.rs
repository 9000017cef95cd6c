//! Field validators of the simulated portal: identifiers, bank details, contact data, passwords,
//! codes service and the search rules of « Demande de rattachement ».
//!
//! Every validator returns a [`FieldError`] carrying both the message the portal would show and
//! the rule behind it (`rule`), which the simulator shows to the learner as the explanation.
//! Sources are those of the domain reference (`chorus-pro.md`, section 3.1).
//! Where the portal's exact wording is unknown, messages are the simulator's own phrasing;
//! where the rule itself is unconfirmed, the `rule` text says « règle du simulateur ».

use serde::Serialize;

/// One refused field: what the portal says and why.
///
/// `code` is stable and searchable (`siret-checksum`); `message` is the French message shown
/// next to the field; `rule` is the French explanation of the rule for the learner.
/// Every error the simulator produces has a non-empty `rule`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FieldError {
    /// Name of the form field (`siret`, `iban`, `adresse_email_connexion`…).
    pub field: String,
    /// Stable code, e.g. `siret-checksum`.
    pub code: &'static str,
    /// French message as shown by the portal (or the simulator's phrasing when unknown).
    pub message: String,
    /// French explanation of the rule, for the learner.
    pub rule: String,
}

impl FieldError {
    /// Builds an error.
    pub fn new(
        field: impl Into<String>,
        code: &'static str,
        message: impl Into<String>,
        rule: impl Into<String>,
    ) -> FieldError {
        FieldError {
            field: field.into(),
            code,
            message: message.into(),
            rule: rule.into(),
        }
    }
}

/// The SIREN of La Poste, whose establishments do not all follow the Luhn rule.
pub const LA_POSTE_SIREN: &str = "356000000";

const RULE_SIREN: &str = "Un SIREN comporte 9 chiffres ; sa clé de contrôle suit l’algorithme de Luhn (en doublant un chiffre sur deux en partant de la droite, la somme des chiffres obtenus est un multiple de 10).";
const RULE_SIRET: &str = "Un SIRET comporte 14 chiffres : le SIREN (9 chiffres) suivi du NIC (5 chiffres). Il est valide si le SIRET entier et son SIREN vérifient tous deux l’algorithme de Luhn. Exception : pour La Poste (SIREN 356000000), un SIRET qui ne vérifie pas Luhn reste valide si la somme de ses 14 chiffres est un multiple de 5.";
const RULE_IBAN: &str = "Un IBAN (norme ISO 13616) commence par le code pays (2 lettres) et 2 chiffres de contrôle. On déplace les 4 premiers caractères à la fin, on remplace chaque lettre par un nombre (A = 10 … Z = 35) : le reste de la division par 97 doit valoir 1. Un IBAN français comporte 27 caractères : FR, 2 chiffres de contrôle, code banque (5), code guichet (5), numéro de compte (11) et clé RIB (2).";
const RULE_RIB: &str = "Clé RIB : 97 − ((89 × code banque + 15 × code guichet + 3 × numéro de compte) modulo 97), les lettres du numéro de compte étant converties en chiffres (A, J = 1 ; B, K, S = 2 … I, R, Z = 9). Le contrôle de la clé RIB par Chorus Pro n’est pas confirmé : le simulateur le signale comme un avertissement.";
const RULE_BIC: &str = "Un BIC (norme ISO 9362) comporte 8 ou 11 caractères : 4 lettres (banque), 2 lettres (pays), 2 lettres ou chiffres (localisation) et, éventuellement, 3 lettres ou chiffres (agence).";
const RULE_EMAIL: &str = "Une adresse e-mail a la forme nom@domaine.fr : une partie locale, le caractère @, puis un nom de domaine contenant au moins un point, sans espace.";
const RULE_PHONE: &str = "Règle du simulateur : un numéro français comporte 10 chiffres commençant par 0 (ou +33 suivi de 9 chiffres) ; un numéro étranger commence par + et comporte de 8 à 15 chiffres. Espaces, points et tirets sont acceptés.";
const RULE_PASSWORD: &str = "Règle du simulateur (les règles exactes du portail ne sont pas confirmées) : au moins 8 caractères, dont une majuscule, une minuscule, un chiffre et un caractère spécial.";
const RULE_CODE_SERVICE: &str = "Le code service est choisi par la structure. Caractères autorisés : lettres (y compris accentuées), chiffres, tiret (-), tiret bas (_) et espace. Longueur de 1 à 100 caractères (longueur maximale : règle du simulateur).";
const RULE_SEARCH_SIRET: &str = "La recherche d’une structure par SIRET demande au moins 3 caractères ; le simulateur affiche les structures dont le SIRET commence par les chiffres saisis.";
const RULE_SEARCH_NAME: &str = "La recherche par raison sociale demande la raison sociale exacte et complète de la structure (le simulateur ignore la casse et les espaces en trop).";

/// Is `digits` (ASCII digits only) valid under the Luhn algorithm?
///
/// Returns `false` when `digits` is empty or contains anything other than `0`–`9`.
///
/// ```
/// assert!(didact_sim::validate::luhn_valid("814527636"));
/// assert!(!didact_sim::validate::luhn_valid("814527637"));
/// ```
pub fn luhn_valid(digits: &str) -> bool {
    !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) && luhn_sum(digits) % 10 == 0
}

/// The digit to append to `digits` so that the result passes Luhn; `None` if `digits` is not
/// made only of ASCII digits.
pub fn luhn_check_digit(digits: &str) -> Option<u8> {
    if !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    // Appending a 0 shifts every digit one place to the left, which is exactly the layout the
    // check digit will have.
    let with_zero = format!("{digits}0");
    let sum = luhn_sum(&with_zero);
    Some(((10 - sum % 10) % 10) as u8)
}

/// Validates a SIREN (9 digits, Luhn).
pub fn siren(field: &str, value: &str) -> Result<(), FieldError> {
    let value = value.trim();
    if value.is_empty() {
        return Err(required(field, "SIREN"));
    }
    if !value.bytes().all(|b| b.is_ascii_digit()) {
        return Err(FieldError::new(
            field,
            "siren-not-digits",
            "Le SIREN ne doit contenir que des chiffres.",
            RULE_SIREN,
        ));
    }
    if value.len() != 9 {
        return Err(FieldError::new(
            field,
            "siren-length",
            format!(
                "Le SIREN doit comporter 9 chiffres (vous en avez saisi {}).",
                value.len()
            ),
            RULE_SIREN,
        ));
    }
    if !luhn_valid(value) {
        return Err(FieldError::new(
            field,
            "siren-checksum",
            "Le SIREN saisi n’est pas valide : sa clé de contrôle est incorrecte.",
            RULE_SIREN,
        ));
    }
    Ok(())
}

/// Validates a SIRET: 14 digits, Luhn on the SIRET and on its SIREN, La Poste exception.
///
/// Order of the checks, as in the INSEE reference implementation: format, then Luhn on the
/// SIREN, then Luhn on the SIRET; when the latter fails and the SIREN is La Poste's
/// ([`LA_POSTE_SIREN`]), the SIRET is still valid if the sum of its 14 digits is a multiple of 5.
/// A checksum-valid SIRET may still be unknown to the register: that is checked elsewhere.
pub fn siret(field: &str, value: &str) -> Result<(), FieldError> {
    let value = value.trim();
    if value.is_empty() {
        return Err(required(field, "SIRET"));
    }
    if !value.bytes().all(|b| b.is_ascii_digit()) {
        return Err(FieldError::new(
            field,
            "siret-not-digits",
            "Le SIRET ne doit contenir que des chiffres, sans espace ni lettre.",
            RULE_SIRET,
        ));
    }
    if value.len() != 14 {
        return Err(FieldError::new(
            field,
            "siret-length",
            format!(
                "Le SIRET doit comporter 14 chiffres (vous en avez saisi {}).",
                value.len()
            ),
            RULE_SIRET,
        ));
    }
    let siren_part = &value[..9];
    if !luhn_valid(siren_part) {
        return Err(FieldError::new(
            field,
            "siret-siren-checksum",
            format!("Le SIRET saisi n’est pas valide : son SIREN ({siren_part}) a une clé de contrôle incorrecte."),
            RULE_SIRET,
        ));
    }
    if luhn_valid(value) {
        return Ok(());
    }
    if siren_part == LA_POSTE_SIREN {
        let digit_sum: u32 = value.bytes().map(|b| u32::from(b - b'0')).sum();
        if digit_sum % 5 == 0 {
            return Ok(());
        }
    }
    Err(FieldError::new(
        field,
        "siret-checksum",
        "Le SIRET saisi n’est pas valide : sa clé de contrôle est incorrecte.",
        RULE_SIRET,
    ))
}

/// Removes spaces and upper-cases an IBAN or BIC as typed (`fr76 9999 …` → `FR769999…`).
pub fn normalize_code(value: &str) -> String {
    value
        .chars()
        .filter(|c| !c.is_whitespace())
        .flat_map(char::to_uppercase)
        .collect()
}

/// Length of the IBANs of a country, for France and the SEPA countries; `None` when unknown.
pub fn iban_length(country: &str) -> Option<usize> {
    let len = match country {
        "AD" => 24,
        "AT" => 20,
        "BE" => 16,
        "BG" => 22,
        "CH" => 21,
        "CY" => 28,
        "CZ" => 24,
        "DE" => 22,
        "DK" => 18,
        "EE" => 20,
        "ES" => 24,
        "FI" => 18,
        "FR" => 27,
        "GB" => 22,
        "GI" => 23,
        "GR" => 27,
        "HR" => 21,
        "HU" => 28,
        "IE" => 22,
        "IS" => 26,
        "IT" => 27,
        "LI" => 21,
        "LT" => 20,
        "LU" => 20,
        "LV" => 21,
        "MC" => 27,
        "MT" => 31,
        "NL" => 18,
        "NO" => 15,
        "PL" => 28,
        "PT" => 25,
        "RO" => 24,
        "SE" => 24,
        "SI" => 19,
        "SK" => 24,
        "SM" => 27,
        "VA" => 22,
        _ => return None,
    };
    Some(len)
}

/// ISO 13616 remainder of an already normalised IBAN (first four characters moved to the end,
/// letters as 10–35). `None` if it holds a character other than `A`–`Z` and `0`–`9`.
pub fn iban_mod97(iban: &str) -> Option<u32> {
    if !iban.is_ascii() {
        return None;
    }
    let (head, tail) = iban.split_at(iban.len().min(4));
    let mut rest: u32 = 0;
    for c in tail.chars().chain(head.chars()) {
        let value = c.to_digit(36)?;
        if c.is_ascii_lowercase() {
            return None;
        }
        rest = if value >= 10 {
            (rest * 100 + value) % 97
        } else {
            (rest * 10 + value) % 97
        };
    }
    Some(rest)
}

/// Validates an IBAN (spaces allowed, case ignored): structure, length of the country
/// (France and SEPA countries; other countries: 15 to 34 characters, règle du simulateur),
/// then the mod-97 check. The French RIB key is checked separately by [`rib_key_warning`].
pub fn iban(field: &str, value: &str) -> Result<(), FieldError> {
    let iban = normalize_code(value);
    if iban.is_empty() {
        return Err(required(field, "IBAN"));
    }
    let well_formed = iban.is_ascii()
        && iban.len() >= 5
        && iban[..2].bytes().all(|b| b.is_ascii_uppercase())
        && iban[2..4].bytes().all(|b| b.is_ascii_digit())
        && iban[4..]
            .bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit());
    if !well_formed {
        return Err(FieldError::new(
            field,
            "iban-format",
            "L’IBAN saisi n’est pas au bon format : il doit commencer par le code pays (2 lettres) et 2 chiffres, suivis de lettres et de chiffres uniquement.",
            RULE_IBAN,
        ));
    }
    let country = &iban[..2];
    match iban_length(country) {
        Some(expected) if iban.len() != expected => {
            return Err(FieldError::new(
                field,
                "iban-length",
                format!(
                    "Un IBAN {country} doit comporter {expected} caractères (vous en avez saisi {}).",
                    iban.len()
                ),
                RULE_IBAN,
            ));
        }
        None if !(15..=34).contains(&iban.len()) => {
            return Err(FieldError::new(
                field,
                "iban-length",
                "Un IBAN comporte de 15 à 34 caractères.",
                RULE_IBAN,
            ));
        }
        _ => {}
    }
    if iban_mod97(&iban) != Some(1) {
        return Err(FieldError::new(
            field,
            "iban-checksum",
            "L’IBAN saisi n’est pas valide : ses chiffres de contrôle sont incorrects.",
            RULE_IBAN,
        ));
    }
    Ok(())
}

/// French RIB key of a bank code (5 digits), branch code (5 digits) and account number
/// (11 letters or digits). `None` when a part has the wrong length or characters.
pub fn rib_key(bank: &str, branch: &str, account: &str) -> Option<u8> {
    fn to_number(part: &str, len: usize, letters: bool) -> Option<u64> {
        if part.len() != len {
            return None;
        }
        let mut value: u64 = 0;
        for c in part.chars() {
            let digit = match c {
                '0'..='9' => u64::from(c.to_digit(10)?),
                'A'..='Z' if letters => rib_letter_value(c),
                _ => return None,
            };
            value = value * 10 + digit;
        }
        Some(value)
    }
    let bank = to_number(bank, 5, false)?;
    let branch = to_number(branch, 5, false)?;
    let account = to_number(account, 11, true)?;
    let rest = (89 * bank + 15 * branch + 3 * account) % 97;
    Some((97 - rest) as u8)
}

/// For a French IBAN that passed [`iban`], checks the RIB key (its last two digits).
///
/// Whether Chorus Pro checks the RIB key is unconfirmed (reference, section 3.1): the simulator
/// reports a wrong key as a warning, never as a refusal. Returns `None` when there is nothing
/// to report (not a French IBAN, or a correct key).
pub fn rib_key_warning(field: &str, value: &str) -> Option<FieldError> {
    let iban = normalize_code(value);
    if !iban.starts_with("FR") || iban.len() != 27 || !iban.is_ascii() {
        return None;
    }
    let expected = rib_key(&iban[4..9], &iban[9..14], &iban[14..25])?;
    let given: u8 = iban[25..27].parse().ok()?;
    if given == expected {
        return None;
    }
    Some(FieldError::new(
        field,
        "iban-rib-key",
        format!("La clé RIB de cet IBAN ({given:02}) ne correspond pas au code banque, au code guichet et au numéro de compte (clé attendue : {expected:02}). Vérifiez votre RIB."),
        RULE_RIB,
    ))
}

/// Validates a BIC (spaces allowed, case ignored): 8 or 11 characters, ISO 9362 layout.
pub fn bic(field: &str, value: &str) -> Result<(), FieldError> {
    let bic = normalize_code(value);
    if bic.is_empty() {
        return Err(required(field, "BIC"));
    }
    if bic.len() != 8 && bic.len() != 11 {
        return Err(FieldError::new(
            field,
            "bic-length",
            format!(
                "Le BIC doit comporter 8 ou 11 caractères (vous en avez saisi {}).",
                bic.chars().count()
            ),
            RULE_BIC,
        ));
    }
    let bytes = bic.as_bytes();
    let ok = bytes[..6].iter().all(u8::is_ascii_uppercase)
        && bytes[6..]
            .iter()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit());
    if !ok {
        return Err(FieldError::new(
            field,
            "bic-format",
            "Le BIC saisi n’est pas au bon format.",
            RULE_BIC,
        ));
    }
    Ok(())
}

/// Validates an e-mail address (a simple, sensible syntax check; règle du simulateur).
pub fn email(field: &str, value: &str) -> Result<(), FieldError> {
    let value = value.trim();
    if value.is_empty() {
        return Err(required(field, "adresse e-mail"));
    }
    let invalid = || {
        FieldError::new(
            field,
            "email-format",
            "L’adresse e-mail saisie n’est pas valide.",
            RULE_EMAIL,
        )
    };
    if value.len() > 254 || value.chars().any(char::is_whitespace) {
        return Err(invalid());
    }
    let Some((local, domain)) = value.split_once('@') else {
        return Err(invalid());
    };
    let local_ok = !local.is_empty()
        && local.len() <= 64
        && !local.starts_with('.')
        && !local.ends_with('.')
        && !local.contains("..")
        && local
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "!#$%&'*+/=?^_`{|}~.-".contains(c));
    let labels: Vec<&str> = domain.split('.').collect();
    let domain_ok = labels.len() >= 2
        && labels.iter().all(|label| {
            !label.is_empty()
                && !label.starts_with('-')
                && !label.ends_with('-')
                && label.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        })
        && labels
            .last()
            .is_some_and(|tld| tld.len() >= 2 && tld.chars().all(|c| c.is_ascii_alphabetic()));
    if local_ok && domain_ok {
        Ok(())
    } else {
        Err(invalid())
    }
}

/// Validates an optional phone number (empty is accepted; the field is optional on the form).
pub fn phone(field: &str, value: &str) -> Result<(), FieldError> {
    let value = value.trim();
    if value.is_empty() {
        return Ok(());
    }
    let invalid = || {
        FieldError::new(
            field,
            "phone-format",
            "Le numéro de téléphone saisi n’est pas valide.",
            RULE_PHONE,
        )
    };
    let (international, rest) = match value.strip_prefix('+') {
        Some(rest) => (true, rest),
        None => (false, value),
    };
    if !rest
        .chars()
        .all(|c| c.is_ascii_digit() || matches!(c, ' ' | '.' | '-'))
    {
        return Err(invalid());
    }
    let digits: String = rest.chars().filter(char::is_ascii_digit).collect();
    let ok = if international {
        if let Some(national) = digits.strip_prefix("33") {
            national.len() == 9 && !national.starts_with('0')
        } else {
            (8..=15).contains(&digits.len())
        }
    } else {
        digits.len() == 10 && digits.starts_with('0')
    };
    if ok {
        Ok(())
    } else {
        Err(invalid())
    }
}

/// Validates a new password (règle du simulateur: the portal's rules are unconfirmed).
pub fn password(field: &str, value: &str) -> Result<(), FieldError> {
    let mut missing = Vec::new();
    if value.chars().count() < 8 {
        missing.push("au moins 8 caractères");
    }
    if !value.chars().any(char::is_uppercase) {
        missing.push("une majuscule");
    }
    if !value.chars().any(char::is_lowercase) {
        missing.push("une minuscule");
    }
    if !value.chars().any(|c| c.is_ascii_digit()) {
        missing.push("un chiffre");
    }
    if !value
        .chars()
        .any(|c| !c.is_alphanumeric() && !c.is_whitespace())
    {
        missing.push("un caractère spécial");
    }
    if missing.is_empty() {
        Ok(())
    } else {
        Err(FieldError::new(
            field,
            "password-weak",
            format!(
                "Le mot de passe ne respecte pas les règles de sécurité : il manque {}.",
                missing.join(", ")
            ),
            RULE_PASSWORD,
        ))
    }
}

/// Validates a code service: letters (accented ones included), digits, `-`, `_`, space.
pub fn code_service(field: &str, value: &str) -> Result<(), FieldError> {
    if value.trim().is_empty() {
        return Err(required(field, "code service"));
    }
    if value.chars().count() > 100 {
        return Err(FieldError::new(
            field,
            "code-service-length",
            "Le code service ne doit pas dépasser 100 caractères.",
            RULE_CODE_SERVICE,
        ));
    }
    if let Some(bad) = value.chars().find(|c| !code_service_char(*c)) {
        return Err(FieldError::new(
            field,
            "code-service-character",
            format!("Le code service doit être alphanumérique : le caractère « {bad} » n’est pas autorisé."),
            RULE_CODE_SERVICE,
        ));
    }
    Ok(())
}

/// Checks a search by SIRET in « Demande de rattachement »: at least 3 characters, digits only.
pub fn siret_search(field: &str, query: &str) -> Result<(), FieldError> {
    let query = query.trim();
    if query.chars().count() < 3 {
        return Err(FieldError::new(
            field,
            "search-siret-too-short",
            "Saisissez au moins 3 caractères du SIRET.",
            RULE_SEARCH_SIRET,
        ));
    }
    if !query.bytes().all(|b| b.is_ascii_digit()) {
        return Err(FieldError::new(
            field,
            "search-siret-not-digits",
            "Le SIRET ne contient que des chiffres.",
            RULE_SEARCH_SIRET,
        ));
    }
    Ok(())
}

/// Checks a search by raison sociale: it must not be empty (the match itself is exact).
pub fn raison_sociale_search(field: &str, query: &str) -> Result<(), FieldError> {
    if query.trim().is_empty() {
        return Err(FieldError::new(
            field,
            "search-name-empty",
            "Saisissez la raison sociale exacte et complète de la structure.",
            RULE_SEARCH_NAME,
        ));
    }
    Ok(())
}

/// Does a raison sociale match a search, under the exact-match rule (case and extra spaces
/// ignored: a simulator choice, the portal's tolerance is unconfirmed)?
pub fn raison_sociale_matches(raison_sociale: &str, query: &str) -> bool {
    fold_name(raison_sociale) == fold_name(query)
}

/// Builds the « champ obligatoire » error for a field.
pub fn required(field: &str, label: &str) -> FieldError {
    FieldError::new(
        field,
        "required",
        format!("Le champ « {label} » est obligatoire."),
        "Les champs marqués d’un astérisque rouge sont obligatoires.",
    )
}

fn luhn_sum(digits: &str) -> u32 {
    digits
        .bytes()
        .rev()
        .enumerate()
        .map(|(idx, b)| {
            let digit = u32::from(b - b'0');
            if idx % 2 == 1 {
                let doubled = digit * 2;
                if doubled > 9 {
                    doubled - 9
                } else {
                    doubled
                }
            } else {
                digit
            }
        })
        .sum()
}

fn rib_letter_value(c: char) -> u64 {
    // A/J = 1 … I/R = 9, S = 2 … Z = 9 (S starts at 2 in the French banking table).
    match c {
        'A'..='I' => u64::from(c as u8 - b'A' + 1),
        'J'..='R' => u64::from(c as u8 - b'J' + 1),
        _ => u64::from(c as u8 - b'S' + 2),
    }
}

fn code_service_char(c: char) -> bool {
    c.is_ascii_alphanumeric()
        || matches!(c, '-' | '_' | ' ')
        // Accented Latin letters (Latin-1 Supplement and Latin Extended-A/B).
        || (c.is_alphabetic() && ('\u{C0}'..'\u{250}').contains(&c))
}

fn fold_name(value: &str) -> String {
    value
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

#[cfg(test)]
mod tests;
