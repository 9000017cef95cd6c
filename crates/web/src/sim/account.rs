//! « Créer un compte », activation, « Se connecter » (and « Se connecter en tant que … »),
//! « Mon compte ».

use didact_sim::world::{AccountStatus, RequestStatus};
use didact_sim::Action;
use web_sys::Element;

use super::dom::Field;
use super::{Ctx, Screen, Ui, Values};

/// Password rules stated on the activation screen. They are the simulator's (the portal's are
/// unconfirmed), as `didact_sim::validate::password` enforces them.
const PASSWORD_HELP: &str = "Au moins 8 caractères, dont une majuscule, une minuscule, un chiffre et un caractère spécial (règle du simulateur).";

const SECRET_QUESTIONS: [&str; 3] = [
    "Quel est le nom de votre premier animal de compagnie ?",
    "Dans quelle ville êtes-vous né(e) ?",
    "Quel était le nom de votre école primaire ?",
];

/// The action of an account form.
pub fn action(kind: &str, values: &Values, ui: &Ui) -> Option<Action> {
    Some(match kind {
        "create_account" => Action::CreateAccount {
            login_email: values.get("adresse_email_connexion"),
            last_name: values.get("nom"),
            first_name: values.get("prenom"),
            phone: values.get("telephone"),
            contact_email: values.get("adresse_email_contact"),
            accept_conditions: values.checked("conditions"),
        },
        "activate_account" => Action::ActivateAccount {
            token: ui.token.clone(),
            password: values.get("mot_de_passe"),
            password_confirmation: values.get("confirmation_mot_de_passe"),
        },
        "resend_activation" => Action::ResendActivation {
            email: values.get("adresse_email_connexion"),
        },
        "login" => Action::Login {
            email: values.get("identifiant"),
            password: values.get("mot_de_passe"),
        },
        "logout" => Action::Logout,
        "update_account" => Action::UpdateAccount {
            last_name: values.get("nom"),
            first_name: values.get("prenom"),
            phone: values.get("telephone"),
            contact_email: values.get("adresse_email_contact"),
        },
        "set_secret_question" => Action::SetSecretQuestion {
            question: values.get("question_secrete"),
            answer: values.get("reponse_secrete"),
        },
        _ => return None,
    })
}

/// « Créer un compte »: the form « Informations personnelles ».
pub fn render_create(ctx: &Ctx, parent: &Element) {
    let dom = ctx.dom;
    dom.title(parent, "Créer un compte");
    dom.add_text(
        parent,
        "p",
        "sim-note",
        "Les champs marqués d’un astérisque (*) sont obligatoires. Le captcha du portail n’est pas simulé.",
    );
    let form = dom.form(parent, "create_account", "Informations personnelles");
    dom.input(
        &form,
        Field::new("adresse_email_connexion", "Adresse e-mail de connexion")
            .kind("email")
            .required()
            .help("Votre identifiant : l’e-mail d’activation y est envoyé."),
    );
    dom.input(&form, Field::new("nom", "Nom").required());
    dom.input(&form, Field::new("prenom", "Prénom").required());
    dom.input(&form, Field::new("telephone", "Téléphone").kind("tel"));
    dom.input(
        &form,
        Field::new("adresse_email_contact", "Adresse e-mail de contact")
            .kind("email")
            .help("Reçoit les notifications ; par défaut, l’adresse de connexion."),
    );
    dom.checkbox(
        &form,
        Field::new(
            "conditions",
            "J’accepte les conditions (transmission de mes données personnelles au ministre chargé du budget)",
        )
        .required(),
        false,
    );
    dom.submit(&form, "Créer mon compte", "primary");
}

/// The page of the activation link: choose the password.
pub fn render_activate(ctx: &Ctx, parent: &Element) {
    let dom = ctx.dom;
    dom.title(parent, "Activer mon compte");
    if ctx.ui.token.is_empty() {
        dom.add_text(
            parent,
            "p",
            "sim-note",
            "Ouvrez le lien d’activation reçu dans la messagerie simulée.",
        );
        dom.nav_button(parent, "Messagerie simulée", Screen::Mailbox.name());
        return;
    }
    let form = dom.form(parent, "activate_account", "Choisissez votre mot de passe");
    dom.input(
        &form,
        Field::new("mot_de_passe", "Mot de passe")
            .kind("password")
            .required()
            .help(PASSWORD_HELP),
    );
    dom.input(
        &form,
        Field::new("confirmation_mot_de_passe", "Confirmation du mot de passe")
            .kind("password")
            .required(),
    );
    dom.submit(&form, "Soumettre", "primary");
}

/// « Se connecter », a new activation link, and the scenario's people.
pub fn render_login(ctx: &Ctx, parent: &Element) {
    let dom = ctx.dom;
    dom.title(parent, "Se connecter");
    let form = dom.form(parent, "login", "");
    dom.input(
        &form,
        Field::new("identifiant", "Adresse e-mail de connexion")
            .kind("email")
            .required(),
    );
    dom.input(
        &form,
        Field::new("mot_de_passe", "Mot de passe")
            .kind("password")
            .required(),
    );
    dom.submit(&form, "Se connecter", "primary");
    let actions = dom.add(parent, "p", "sim-actions");
    dom.add_text(&actions, "span", "", "Pas encore de compte ? ");
    dom.nav_button(&actions, "Créer un compte", Screen::CreateAccount.name());

    let resend = dom.form(
        parent,
        "resend_activation",
        "Lien d’activation expiré ou perdu ?",
    );
    dom.input(
        &resend,
        Field::new("adresse_email_connexion", "Adresse e-mail de connexion")
            .kind("email")
            .required(),
    );
    dom.submit(&resend, "Recevoir un nouveau lien", "");

    let people: Vec<_> = ctx
        .world
        .accounts
        .iter()
        .filter(|account| account.status == AccountStatus::Active)
        .filter(|account| ctx.user() != Some(account.login.as_str()))
        .collect();
    if people.is_empty() {
        return;
    }
    let section = dom.add(parent, "div", "sim-people");
    dom.add_text(&section, "h4", "", "Personnes du scénario");
    dom.add_text(
        &section,
        "p",
        "sim-note",
        "Pour jouer un autre utilisateur de l’exercice, connectez-vous à sa place :",
    );
    for account in people {
        let name = ctx.name_of(&account.login);
        dom.button_form(
            &section,
            "act_as",
            &format!("Se connecter en tant que {name}"),
            &[("email", &account.login)],
        );
    }
}

/// « Mon compte »: personal data, secret question, rattachements.
pub fn render_my_account(ctx: &Ctx, parent: &Element) {
    let dom = ctx.dom;
    dom.title(parent, "Mon compte");
    if !ctx.require_login(parent) {
        return;
    }
    let Some(account) = ctx.user().and_then(|user| ctx.world.account(user)) else {
        return;
    };
    let form = dom.form(parent, "update_account", "Informations personnelles");
    dom.input(
        &form,
        Field::new("adresse_email_connexion", "Adresse e-mail de connexion")
            .value(&account.login)
            .readonly(),
    );
    dom.input(
        &form,
        Field::new("nom", "Nom")
            .value(&account.last_name)
            .required(),
    );
    dom.input(
        &form,
        Field::new("prenom", "Prénom")
            .value(&account.first_name)
            .required(),
    );
    dom.input(
        &form,
        Field::new("telephone", "Téléphone")
            .kind("tel")
            .value(account.phone.as_deref().unwrap_or("")),
    );
    dom.input(
        &form,
        Field::new("adresse_email_contact", "Adresse e-mail de contact")
            .kind("email")
            .value(&account.contact_email),
    );
    dom.submit(&form, "Enregistrer", "primary");

    let secret = dom.form(parent, "set_secret_question", "Question secrète");
    match &account.secret_question {
        Some(question) => dom.add_text(
            &secret,
            "p",
            "sim-note",
            &format!("Question actuelle : {}", question.question),
        ),
        None => dom.add_text(
            &secret,
            "p",
            "sim-note",
            "Vous n’avez pas encore choisi de question secrète.",
        ),
    };
    let mut options = vec![(String::new(), "— Choisir —".to_owned())];
    options.extend(
        SECRET_QUESTIONS
            .iter()
            .map(|q| ((*q).to_owned(), (*q).to_owned())),
    );
    dom.select(
        &secret,
        Field::new("question_secrete", "Question").required(),
        &options,
    );
    dom.input(&secret, Field::new("reponse_secrete", "Réponse").required());
    dom.submit(&secret, "Enregistrer la question secrète", "");

    dom.add_text(parent, "h4", "", "Mes rattachements aux structures");
    let structures = ctx.structures();
    if structures.is_empty() {
        dom.add_text(parent, "p", "sim-note", "Aucun rattachement.");
    } else {
        let body = dom.table(parent, "", &["Structure", "SIRET"]);
        for structure in structures {
            dom.row_of(&body, &[&structure.raison_sociale, &structure.siret]);
        }
    }
    let requests: Vec<_> = ctx
        .world
        .requests
        .iter()
        .filter(|r| didact_sim::world::same_email(&r.email, &account.login))
        .collect();
    if !requests.is_empty() {
        let body = dom.table(parent, "Mes demandes de rattachement", &["SIRET", "Statut"]);
        for request in requests {
            dom.row_of(&body, &[&request.siret, request_status(request.status)]);
        }
    }
    dom.nav_button(
        parent,
        "Demande de rattachement",
        Screen::Rattachement.name(),
    );
}

/// The label of a request's status.
pub fn request_status(status: RequestStatus) -> &'static str {
    match status {
        RequestStatus::Pending => "En attente de validation",
        RequestStatus::Validated => "Validée",
        RequestStatus::Refused => "Refusée",
    }
}
