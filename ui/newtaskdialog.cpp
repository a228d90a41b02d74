#include "newtaskdialog.h"

#include "app/core/taskengine.h"
#include "app/core/tasktyperegistry.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QRegularExpression>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace {
QString humanize(const QString &name)
{
    // "maxRetries" -> "Max retries"
    QString out;
    for (qsizetype i = 0; i < name.size(); ++i) {
        const QChar c = name.at(i);
        if (c.isUpper() && i > 0) {
            out += u' ';
            out += c.toLower();
        } else if (c == u'_') {
            out += u' ';
        } else {
            out += i == 0 ? c.toUpper() : c;
        }
    }
    return out;
}

QString jsonText(const QJsonValue &v)
{
    if (v.isArray())
        return QString::fromUtf8(QJsonDocument(v.toArray()).toJson(QJsonDocument::Compact));
    if (v.isObject())
        return QString::fromUtf8(QJsonDocument(v.toObject()).toJson(QJsonDocument::Compact));
    if (v.isDouble())
        return QString::number(v.toDouble(), 'g', 15);
    return v.toVariant().toString();
}

QColor errorColor(const QPalette &pal)
{
    return pal.color(QPalette::Window).lightness() < 128 ? QColor(0xff, 0x6b, 0x6b)
                                                         : QColor(0xc6, 0x28, 0x28);
}
} // namespace

NewTaskDialog::NewTaskDialog(TaskEngine &engine, QWidget *parent)
    : QDialog(parent), m_engine(engine)
{
    setWindowTitle(tr("New task"));
    auto *v = new QVBoxLayout(this);
    auto *top = new QFormLayout;
    m_types = new QComboBox(this);
    m_types->setAccessibleName(tr("Task type"));
    // What the page offers too: Celery is registered only when a broker is configured.
    for (const TaskType *t : engine.registry().publicTypes())
        m_types->addItem(t->title.isEmpty() ? t->name : t->title, t->name);
    top->addRow(tr("&Kind of task:"), m_types); // the page's words
    m_title = new QLineEdit(this);
    m_title->setPlaceholderText(tr("Optional; a title is made from the parameters"));
    m_title->setAccessibleName(tr("Title"));
    top->addRow(tr("T&itle:"), m_title);
    v->addLayout(top);
    m_description = new QLabel(this);
    m_description->setWordWrap(true);
    m_description->setForegroundRole(QPalette::PlaceholderText);
    v->addWidget(m_description);
    m_formHost = new QWidget(this);
    v->addWidget(m_formHost, 1);
    m_general = new QLabel(this);
    m_general->setWordWrap(true);
    m_general->setVisible(false);
    v->addWidget(m_general);
    m_buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    m_buttons->button(QDialogButtonBox::Ok)->setText(tr("&Start"));
    connect(m_buttons, &QDialogButtonBox::accepted, this, &NewTaskDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &NewTaskDialog::reject);
    v->addWidget(m_buttons);
    connect(m_types, &QComboBox::currentIndexChanged, this, &NewTaskDialog::buildForm);
    const int demo = m_types->findData(u"demo"_s);
    if (demo >= 0)
        m_types->setCurrentIndex(demo);
    buildForm();
    resize(fontMetrics().averageCharWidth() * 70, sizeHint().height());
}

bool NewTaskDialog::setType(const QString &type)
{
    const int i = m_types->findData(type);
    if (i < 0)
        return false;
    m_types->setCurrentIndex(i);
    return true;
}

QString NewTaskDialog::type() const
{
    return m_types->currentData().toString();
}

void NewTaskDialog::buildForm()
{
    delete m_formHost->layout();
    qDeleteAll(m_formHost->findChildren<QWidget *>(Qt::FindDirectChildrenOnly));
    m_fields.clear();
    clearErrors();
    m_form = new QFormLayout(m_formHost);
    m_form->setContentsMargins(0, 0, 0, 0);
    m_form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);

    const TaskType *type = m_engine.registry().find(this->type());
    m_description->setText(type ? type->description : QString());
    m_description->setVisible(type && !type->description.isEmpty());
    if (!type)
        return;
    const QJsonObject props = type->schema.value(u"properties"_s).toObject();
    const QJsonArray required = type->schema.value(u"required"_s).toArray();
    // The schema's "x-order" first (JSON objects sort their keys), then required, then the rest.
    QStringList names;
    for (const QJsonValue &n : type->schema.value(u"x-order"_s).toArray()) {
        if (props.contains(n.toString()))
            names.append(n.toString());
    }
    for (const QJsonValue &r : required) {
        if (!names.contains(r.toString()))
            names.append(r.toString());
    }
    for (auto it = props.constBegin(); it != props.constEnd(); ++it) {
        if (!names.contains(it.key()))
            names.append(it.key());
    }

    for (const QString &name : std::as_const(names)) {
        const QJsonObject prop = props.value(name).toObject();
        Field f;
        f.name = name;
        f.type = prop.value(u"type"_s).toString();
        f.format = prop.value(u"format"_s).toString();
        const QString label = prop.value(u"title"_s).toString(humanize(name));
        const QString description = prop.value(u"description"_s).toString();
        const QJsonValue def = prop.value(u"default"_s);
        QWidget *editor = nullptr;
        QWidget *row = nullptr;
        if (f.type == u"boolean") {
            auto *box = new QCheckBox(m_formHost);
            box->setChecked(def.toBool());
            editor = box;
        } else if (prop.contains(u"enum"_s)) {
            auto *combo = new QComboBox(m_formHost);
            if (!required.contains(QJsonValue(name)))
                combo->addItem(tr("(default)"), QVariant());
            // "enumNames" (as the page reads it too): the words for each value ("SHA-256").
            const QJsonArray values = prop.value(u"enum"_s).toArray();
            const QJsonArray names = prop.value(u"enumNames"_s).toArray();
            for (qsizetype i = 0; i < values.size(); ++i)
                combo->addItem(i < names.size() ? names.at(i).toString() : jsonText(values.at(i)),
                               values.at(i).toVariant());
            if (!def.isUndefined()) {
                const int i = combo->findData(def.toVariant());
                if (i >= 0)
                    combo->setCurrentIndex(i);
            }
            editor = combo;
        } else if (f.type == u"array" || f.type == u"object") {
            auto *text = new QPlainTextEdit(m_formHost);
            text->setPlaceholderText(def.isUndefined() ? (f.type == u"array" ? u"[ ]"_s : u"{ }"_s)
                                                       : jsonText(def));
            text->setTabChangesFocus(true);
            text->setMaximumHeight(text->fontMetrics().lineSpacing() * 5 + 12);
            editor = text;
        } else {
            auto *line = new QLineEdit(m_formHost);
            if (!def.isUndefined() && !def.isNull())
                line->setPlaceholderText(tr("Default: %1").arg(jsonText(def)));
            else if (!description.isEmpty())
                line->setPlaceholderText(description);
            editor = line;
            if (f.format == u"file" || f.format == u"directory" || f.format == u"path") {
                row = new QWidget(m_formHost);
                auto *h = new QHBoxLayout(row);
                h->setContentsMargins(0, 0, 0, 0);
                line->setParent(row);
                h->addWidget(line, 1);
                auto *browse = new QPushButton(
                    f.format == u"directory" ? tr("Choose folder…") : tr("Choose file…"), row);
                browse->setAccessibleName(tr("Choose %1").arg(label));
                const QString format = f.format;
                connect(browse, &QPushButton::clicked, line, [this, line, format] {
                    const QString path = pickPath(format, line->text());
                    if (!path.isEmpty())
                        line->setText(path);
                });
                h->addWidget(browse);
            }
        }
        editor->setObjectName(name);
        editor->setAccessibleName(label);
        if (!description.isEmpty()) {
            editor->setToolTip(description);
            editor->setAccessibleDescription(description);
        }
        f.editor = editor;
        f.error = new QLabel(m_formHost);
        f.error->setWordWrap(true);
        QPalette pal = f.error->palette();
        pal.setColor(QPalette::WindowText, errorColor(pal));
        f.error->setPalette(pal);
        f.error->setVisible(false);
        f.error->setAccessibleName(tr("%1 error").arg(label));
        auto *cell = new QWidget(m_formHost);
        auto *cv = new QVBoxLayout(cell);
        cv->setContentsMargins(0, 0, 0, 0);
        cv->setSpacing(2);
        cv->addWidget(row ? row : editor);
        cv->addWidget(f.error);
        cv->addStretch(); // the message stays right under its field
        const bool isRequired = required.contains(QJsonValue(name));
        m_form->addRow(isRequired ? tr("%1 *:").arg(label) : tr("%1:").arg(label), cell);
        m_fields.append(f);
    }
    // Rebuilt while open: show the new rows now and grow to fit them.
    for (QWidget *w : m_formHost->findChildren<QWidget *>(Qt::FindDirectChildrenOnly))
        w->show();
    // Tab goes down the form as it reads: type, title, the fields, then Start and Cancel (the
    // fields are made after the buttons, so the default order would put the buttons first).
    QWidget *previous = m_title;
    for (QWidget *w : m_formHost->findChildren<QWidget *>()) {
        if (w->focusPolicy() & Qt::TabFocus) {
            setTabOrder(previous, w);
            previous = w;
        }
    }
    for (QAbstractButton *b : m_buttons->buttons()) {
        setTabOrder(previous, b);
        previous = b;
    }
    layout()->activate();
    if (isVisible())
        resize(width(), std::max(height(), sizeHint().height()));
}

QString NewTaskDialog::pickPath(const QString &format, const QString &current)
{
    if (m_picker)
        return m_picker(format, current);
    if (format == u"directory")
        return QFileDialog::getExistingDirectory(this, tr("Choose a folder"), current);
    if (format == u"file")
        return QFileDialog::getOpenFileName(this, tr("Choose a file"), current);
    return QFileDialog::getSaveFileName(this, tr("Choose a path"), current, {}, nullptr,
                                        QFileDialog::DontConfirmOverwrite);
}

bool NewTaskDialog::setFieldText(const QString &name, const QString &text)
{
    for (const Field &f : std::as_const(m_fields)) {
        if (f.name != name)
            continue;
        if (auto *line = qobject_cast<QLineEdit *>(f.editor))
            line->setText(text);
        else if (auto *plain = qobject_cast<QPlainTextEdit *>(f.editor))
            plain->setPlainText(text);
        else if (auto *box = qobject_cast<QCheckBox *>(f.editor))
            box->setChecked(text == u"true");
        else if (auto *combo = qobject_cast<QComboBox *>(f.editor))
            combo->setCurrentIndex(std::max(0, combo->findText(text)));
        return true;
    }
    if (name == u"title") {
        m_title->setText(text);
        return true;
    }
    return false;
}

QWidget *NewTaskDialog::fieldWidget(const QString &name) const
{
    for (const Field &f : m_fields) {
        if (f.name == name)
            return f.editor;
    }
    return nullptr;
}

QStringList NewTaskDialog::fieldNames() const
{
    QStringList names;
    for (const Field &f : m_fields)
        names.append(f.name);
    return names;
}

QString NewTaskDialog::fieldError(const QString &name) const
{
    if (name.isEmpty())
        return m_general->isHidden() ? QString() : m_general->text();
    for (const Field &f : m_fields) {
        if (f.name == name)
            return f.error->isHidden() ? QString() : f.error->text();
    }
    return {};
}

QJsonObject NewTaskDialog::collectParams(QList<FieldError> *errors) const
{
    QJsonObject params;
    for (const Field &f : m_fields) {
        if (auto *box = qobject_cast<QCheckBox *>(f.editor)) {
            params.insert(f.name, box->isChecked());
        } else if (auto *combo = qobject_cast<QComboBox *>(f.editor)) {
            const QVariant v = combo->currentData();
            if (v.isValid())
                params.insert(f.name, QJsonValue::fromVariant(v));
        } else if (auto *plain = qobject_cast<QPlainTextEdit *>(f.editor)) {
            const QString text = plain->toPlainText().trimmed();
            if (text.isEmpty())
                continue;
            QJsonParseError pe;
            // Wrapped, so any JSON value parses and the schema check names a wrong kind.
            const QJsonDocument doc
                = QJsonDocument::fromJson((u"["_s + text + u"]"_s).toUtf8(), &pe);
            if (pe.error != QJsonParseError::NoError || doc.array().size() != 1) {
                if (errors)
                    errors->append(
                        { u"params."_s + f.name, tr("Not valid JSON: %1.").arg(pe.errorString()) });
                continue;
            }
            params.insert(f.name, doc.array().at(0));
        } else if (auto *line = qobject_cast<QLineEdit *>(f.editor)) {
            const QString text = line->text().trimmed();
            if (text.isEmpty())
                continue;
            if (f.type == u"integer" || f.type == u"number") {
                bool ok = false;
                const double d = QLocale::c().toDouble(text, &ok);
                // Unparsable text goes to the registry as text, so it says what is expected.
                params.insert(f.name, ok ? QJsonValue(d) : QJsonValue(text));
            } else {
                params.insert(f.name, text);
            }
        }
    }
    return params;
}

void NewTaskDialog::clearErrors()
{
    for (const Field &f : std::as_const(m_fields)) {
        f.error->clear();
        f.error->setVisible(false);
    }
    m_general->clear();
    m_general->setVisible(false);
}

void NewTaskDialog::showErrors(const QList<FieldError> &errors)
{
    clearErrors();
    QStringList general;
    QWidget *firstBad = nullptr;
    for (const FieldError &e : errors) {
        // "params.steps[1].type" belongs to the "steps" field.
        QString name = e.field;
        if (name.startsWith(u"params."_s))
            name = name.mid(7);
        const qsizetype cut = name.indexOf(QRegularExpression(u"[.\\[]"_s));
        const QString top = cut < 0 ? name : name.left(cut);
        bool shown = false;
        for (const Field &f : std::as_const(m_fields)) {
            if (f.name != top)
                continue;
            const QString msg = cut < 0
                ? e.message
                : name.mid(cut).remove(0, name.at(cut) == u'.' ? 1 : 0) + u": "_s + e.message;
            f.error->setText(f.error->text().isEmpty() ? msg : f.error->text() + u'\n' + msg);
            f.error->setVisible(true);
            if (!firstBad)
                firstBad = f.editor;
            shown = true;
        }
        if (!shown)
            general.append(e.field.isEmpty() ? e.message : e.field + u": "_s + e.message);
    }
    if (!general.isEmpty()) {
        QPalette pal = m_general->palette();
        pal.setColor(QPalette::WindowText, errorColor(pal));
        m_general->setPalette(pal);
        m_general->setText(general.join(u'\n'));
        m_general->setVisible(true);
    }
    if (firstBad)
        firstBad->setFocus();
}

bool NewTaskDialog::submit()
{
    QList<FieldError> local;
    const QJsonObject params = collectParams(&local);
    if (!local.isEmpty()) {
        showErrors(local);
        return false;
    }
    const Result<QJsonObject> checked = m_engine.registry().validate(type(), params);
    if (!checked) {
        QList<FieldError> errors = checked.error().fields;
        if (errors.isEmpty())
            errors.append({ QString(), checked.error().message });
        showErrors(errors);
        return false;
    }
    TaskSpec spec;
    spec.type = type();
    spec.title = m_title->text().trimmed();
    spec.params = params;
    const Result<TaskSnapshot> submitted = m_engine.submit(spec);
    if (!submitted) {
        QList<FieldError> errors = submitted.error().fields;
        if (errors.isEmpty())
            errors.append({ QString(), submitted.error().message });
        showErrors(errors);
        return false;
    }
    clearErrors();
    m_submittedId = submitted->id;
    return true;
}

void NewTaskDialog::accept()
{
    if (submit())
        QDialog::accept();
}
