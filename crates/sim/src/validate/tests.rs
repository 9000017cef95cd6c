use super::*;
use proptest::prelude::*;

#[track_caller]
fn check_ok(result: Result<(), FieldError>) {
    if let Err(error) = result {
        panic!("expected valid, got {error:?}");
    }
}

#[track_caller]
fn check_err(result: Result<(), FieldError>, code: &str) {
    match result {
        Ok(()) => panic!("expected error {code}, got Ok"),
        Err(error) => {
            assert_eq!(error.code, code, "{error:?}");
            assert!(!error.message.is_empty() && !error.rule.is_empty());
        }
    }
}

#[test]
fn sample_sirens_and_sirets_are_valid() {
    for siren_value in ["814527636", "823975149", "219900016", "356000000"] {
        check_ok(siren("siren", siren_value));
    }
    for siret_value in [
        "81452763600017",
        "82397514900027",
        "83716249400012",
        "79028461600030",
        "84260937200011",
        "85173402000015",
        "85173402000023",
        "88034517800011",
        "21990001600011",
        "26990002300012",
        "20099003400015",
        "22990004800013",
        "19990005100012",
        "13990006200015",
        "11000201100044",
        "22060001900016",
    ] {
        check_ok(siret("siret", siret_value));
    }
}

#[test]
fn siren_failing_luhn_is_refused() {
    check_err(siren("siren", "200034582"), "siren-checksum");
    check_err(siren("siren", "81452763"), "siren-length");
    check_err(siren("siren", "81452763A"), "siren-not-digits");
    check_err(siren("siren", ""), "required");
}

#[test]
fn siret_with_altered_last_digit_fails_luhn() {
    check_err(siret("siret", "81452763600018"), "siret-checksum");
}

#[test]
fn siret_with_swapped_siren_digits_fails_on_the_siren() {
    check_err(siret("siret", "81452736600017"), "siret-siren-checksum");
}

#[test]
fn siret_passing_luhn_whose_siren_fails_is_refused() {
    // Passes Luhn as a whole: both checks are needed.
    assert!(luhn_valid("81452763700015"));
    check_err(siret("siret", "81452763700015"), "siret-siren-checksum");
}

#[test]
fn siret_length_and_characters_are_checked() {
    check_err(siret("siret", "8145276360001"), "siret-length");
    check_err(siret("siret", "814527636000170"), "siret-length");
    check_err(siret("siret", "200006796500091"), "siret-length");
    check_err(siret("siret", "81452763600O17"), "siret-not-digits");
    check_err(siret("siret", "814 527 636 00017"), "siret-not-digits");
    check_err(siret("siret", "  "), "required");
}

#[test]
fn la_poste_siret_failing_luhn_is_valid_when_digit_sum_is_a_multiple_of_5() {
    assert!(!luhn_valid("35600000009075"));
    check_ok(siret("siret", "35600000009075"));
}

#[test]
fn la_poste_siret_failing_both_rules_is_refused() {
    check_err(siret("siret", "35600000009076"), "siret-checksum");
}

#[test]
fn la_poste_exception_does_not_apply_to_other_sirens() {
    // Digit sum 8+1+4+5+2+7+6+3+6+1+7 = 50, a multiple of 5, but Luhn fails and it is not La Poste.
    check_err(siret("siret", "81452763600107"), "siret-checksum");
}

#[test]
fn checksum_valid_siret_is_not_proof_of_existence() {
    // These pass the checksums; only the register lookup rejects them.
    check_ok(siret("siret", "00000000000000"));
    check_ok(siret("siret", "81900001900011"));
}

#[test]
fn sample_ibans_are_valid_with_a_correct_rib_key() {
    for value in [
        "FR76 9999 9000 0100 0123 4560 146",
        "FR76 9999 9000 0200 0234 5670 202",
        "FR58 9999 9000 0300 0345 6780 A61",
        "FR76 9999 8000 1000 0987 6540 166",
        "fr7699999000010001234560146",
    ] {
        check_ok(iban("iban", value));
        assert_eq!(rib_key_warning("iban", value), None, "{value}");
    }
}

#[test]
fn iban_with_wrong_check_digits_is_refused() {
    check_err(
        iban("iban", "FR76 9999 9000 0100 0123 4560 147"),
        "iban-checksum",
    );
}

#[test]
fn french_iban_needs_27_characters() {
    check_err(
        iban("iban", "FR76 9999 9000 0100 0123 4560 14"),
        "iban-length",
    );
}

#[test]
fn iban_format_and_other_countries() {
    check_err(iban("iban", "7699 9990 0001"), "iban-format");
    check_err(iban("iban", "FR76 9999/9000"), "iban-format");
    check_err(iban("iban", ""), "required");
    check_ok(iban("iban", "DE89 3704 0044 0532 0130 00"));
    check_ok(iban("iban", "BE68 5390 0754 7034"));
    check_err(iban("iban", "DE89 3704 0044 0532 0130 01"), "iban-checksum");
}

#[test]
fn rib_key_is_computed_with_letters_in_the_account() {
    assert_eq!(rib_key("99999", "00001", "00012345601"), Some(46));
    assert_eq!(rib_key("99999", "00003", "0003456780A"), Some(61));
    assert_eq!(rib_key("9999", "00003", "0003456780A"), None);
    assert_eq!(rib_key("99999", "00003", "0003456780a"), None);
}

#[test]
fn wrong_rib_key_in_a_mod97_valid_iban_is_a_warning() {
    // RIB key changed from 46 to 47 and IBAN check digits recomputed so that mod 97 holds.
    let body = "999990000100012345601";
    let value = iban_with_check_digits("FR", &format!("{body}47"));
    check_ok(iban("iban", &value));
    let warning = rib_key_warning("iban", &value).expect("the RIB key is wrong");
    assert_eq!(warning.code, "iban-rib-key");
    assert!(warning.message.contains("46"));
}

#[test]
fn bic_must_have_8_or_11_characters() {
    check_ok(bic("bic", "FICTFRP1XXX"));
    check_ok(bic("bic", "FICTFRP1"));
    check_ok(bic("bic", "factfrp2xxx"));
    check_err(bic("bic", "BNPAFRPPXX"), "bic-length");
    check_err(bic("bic", "FIC1FRP1"), "bic-format");
    check_err(bic("bic", "FICTF1P1"), "bic-format");
    check_err(bic("bic", "FICTFRP1XX-"), "bic-format");
    check_err(bic("bic", ""), "required");
}

#[test]
fn email_addresses() {
    check_ok(email("email", "paul.martin@menuiserie-martin.fr"));
    check_ok(email("email", "compta+chorus@durand.example.com"));
    for bad in [
        "paul.martin",
        "paul@",
        "@durand.fr",
        "paul martin@durand.fr",
        "paul@durand",
        "paul@@durand.fr",
        "paul..martin@durand.fr",
        "paul@-durand.fr",
        "paul@durand.f",
    ] {
        check_err(email("email", bad), "email-format");
    }
    check_err(email("email", ""), "required");
}

#[test]
fn phone_numbers() {
    for good in [
        "",
        "05 56 00 00 00",
        "0556000000",
        "06.12.34.56.78",
        "+33 5 56 00 00 00",
        "+32 2 555 12 12",
    ] {
        check_ok(phone("telephone", good));
    }
    for bad in [
        "05 56 00 00",
        "5556000000",
        "+33 05 56 00 00 00",
        "05-56-00-00-0A",
        "+1234",
    ] {
        check_err(phone("telephone", bad), "phone-format");
    }
}

#[test]
fn password_rules_list_what_is_missing() {
    check_ok(password("mot_de_passe", "Chorus!2025"));
    let error = password("mot_de_passe", "chorus").unwrap_err();
    assert_eq!(error.code, "password-weak");
    assert!(error.message.contains("majuscule"));
    assert!(error.message.contains("chiffre"));
    assert!(error.message.contains("8 caractères"));
    assert!(error.rule.contains("Règle du simulateur"));
    check_err(password("mot_de_passe", "Chorus2025"), "password-weak");
}

#[test]
fn code_service_characters() {
    for good in [
        "SERV-FIN",
        "ECOLES",
        "DIR_TECH",
        "ATELIER MUNICIPAL",
        "DRH",
        "Équipements",
    ] {
        check_ok(code_service("code", good));
    }
    check_err(code_service("code", "SERV/01"), "code-service-character");
    check_err(code_service("code", "SERV.01"), "code-service-character");
    check_err(code_service("code", "SERV€"), "code-service-character");
    check_err(code_service("code", "   "), "required");
    check_err(
        code_service("code", &"A".repeat(101)),
        "code-service-length",
    );
}

#[test]
fn siret_search_needs_3_characters() {
    check_ok(siret_search("recherche", "814"));
    check_err(siret_search("recherche", "81"), "search-siret-too-short");
    check_err(siret_search("recherche", "81A"), "search-siret-not-digits");
}

#[test]
fn raison_sociale_search_is_exact() {
    check_err(raison_sociale_search("recherche", " "), "search-name-empty");
    assert!(raison_sociale_matches(
        "Menuiserie Durand SARL",
        "menuiserie  durand sarl "
    ));
    assert!(!raison_sociale_matches(
        "Menuiserie Durand SARL",
        "Menuiserie Durand"
    ));
}

fn iban_with_check_digits(country: &str, bban: &str) -> String {
    let rest = iban_mod97(&format!("{country}00{bban}")).expect("alphanumeric");
    format!("{country}{:02}{bban}", 98 - rest)
}

fn with_luhn_digit(digits: &str) -> String {
    let check = luhn_check_digit(digits).expect("digits only");
    format!("{digits}{check}")
}

proptest! {
    #[test]
    fn any_digits_with_computed_luhn_digit_are_valid(digits in "[0-9]{1,20}") {
        prop_assert!(luhn_valid(&with_luhn_digit(&digits)));
    }

    #[test]
    fn changing_one_digit_breaks_luhn(digits in "[0-9]{13}", pos in 0usize..14, delta in 1u8..10) {
        let valid = with_luhn_digit(&digits);
        let mut bytes = valid.into_bytes();
        bytes[pos] = b'0' + (bytes[pos] - b'0' + delta) % 10;
        let changed = String::from_utf8(bytes).unwrap();
        prop_assert!(!luhn_valid(&changed));
    }

    #[test]
    fn siren_plus_nic_with_both_keys_is_a_valid_siret(siren_body in "[0-9]{8}", nic_body in "[0-9]{4}") {
        let siren_value = with_luhn_digit(&siren_body);
        prop_assert!(siren("siren", &siren_value).is_ok());
        let siret_value = with_luhn_digit(&format!("{siren_value}{nic_body}"));
        prop_assert!(siret("siret", &siret_value).is_ok());
    }

    #[test]
    fn any_french_bban_with_computed_check_digits_is_a_valid_iban(bban in "[0-9]{10}[0-9A-Z]{11}[0-9]{2}") {
        prop_assert!(iban("iban", &iban_with_check_digits("FR", &bban)).is_ok());
    }

    #[test]
    fn changing_one_iban_digit_is_caught(bban in "[0-9]{23}", pos in 4usize..27, delta in 1u8..10) {
        let valid = iban_with_check_digits("FR", &bban);
        let mut bytes = valid.into_bytes();
        bytes[pos] = b'0' + (bytes[pos] - b'0' + delta) % 10;
        let changed = String::from_utf8(bytes).unwrap();
        prop_assert_eq!(iban("iban", &changed).map_err(|e| e.code), Err("iban-checksum"));
    }

    #[test]
    fn computed_rib_key_never_warns(bank in "[0-9]{5}", branch in "[0-9]{5}", account in "[0-9A-Z]{11}") {
        let key = rib_key(&bank, &branch, &account).unwrap();
        let value = iban_with_check_digits("FR", &format!("{bank}{branch}{account}{key:02}"));
        prop_assert!(iban("iban", &value).is_ok());
        prop_assert_eq!(rib_key_warning("iban", &value), None);
    }

    #[test]
    fn validators_never_panic(value in "\\PC{0,40}") {
        let _ = siret("f", &value);
        let _ = siren("f", &value);
        let _ = iban("f", &value);
        let _ = rib_key_warning("f", &value);
        let _ = bic("f", &value);
        let _ = email("f", &value);
        let _ = phone("f", &value);
        let _ = password("f", &value);
        let _ = code_service("f", &value);
        let _ = iban_mod97(&value);
    }
}
