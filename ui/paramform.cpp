#include "paramform.h"

#include "app/core/tasktyperegistry.h"
#include "steplisteditor.h"
#include "wordlistedit.h"

#include <QCheckBox>
#include <QComboBox>
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

bool isWordList(const QJsonObject &prop)
{
    return prop.value(u"type"_s).toString() == u"array"
        && prop.value(u"items"_s).toObject().value(u"type"_s).toString() == u"string";
}

} // namespace

QColor ParamForm::messageColor(const QPalette &palette, bool error)
{
    // Dark red on light windows, light red on dark ones; amber for warnings.
    const bool dark = palette.color(QPalette::Window).lightness() < 128;
    if (error)
        return dark ? QColor(0xff, 0x6b, 0x6b) : QColor(0xc6, 0x28, 0x28);
    return dark ? QColor(0xff, 0xc1, 0x07) : QColor(0x8a, 0x5a, 0x00);
}

ParamForm::ParamForm(const TaskTypeRegistry &registry, QWidget *parent)
    : QWidget(parent), m_registry(registry), m_form(new QFormLayout(this))
{
    m_form->setContentsMargins(0, 0, 0, 0);
    m_form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
}

void ParamForm::setSchema(const QJsonObject &schema)
{
    while (m_form->rowCount() > 0)
        m_form->removeRow(0);
    m_fields.clear();

    const QJsonObject props = schema.value(u"properties"_s).toObject();
    const QJsonArray required = schema.value(u"required"_s).toArray();
    // The schema's "x-order" first (JSON objects sort their keys), then required, then the rest.
    QStringList names;
    for (const QJsonValue &n : schema.value(u"x-order"_s).toArray()) {
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
        f.prop = prop;
        f.type = prop.value(u"type"_s).toString();
        f.label = prop.value(u"title"_s).toString(humanize(name));
        const QString description = prop.value(u"description"_s).toString();
        const QJsonValue def = prop.value(u"default"_s);
        const QString format = prop.value(u"format"_s).toString();
        QWidget *editor = nullptr;
        QWidget *row = nullptr;
        if (f.type == u"boolean") {
            auto *box = new QCheckBox(this);
            box->setChecked(def.toBool());
            connect(box, &QCheckBox::toggled, this, &ParamForm::edited);
            editor = box;
        } else if (prop.contains(u"enum"_s)) {
            auto *combo = new QComboBox(this);
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
            connect(combo, &QComboBox::currentIndexChanged, this, &ParamForm::edited);
            editor = combo;
        } else if (f.type == u"array" && prop.value(u"x-editor"_s).toString() == u"steps") {
            auto *steps = new StepListEditor(m_registry, this);
            steps->setPathPicker([this](const QString &kind, const QString &current) {
                return pickPath(kind, current);
            });
            connect(steps, &StepListEditor::edited, this, &ParamForm::edited);
            connect(steps, &StepListEditor::rebuilt, this, &ParamForm::rebuilt);
            editor = steps;
        } else if (isWordList(prop)) {
            auto *words = new WordListEdit(this);
            QStringList initial;
            for (const QJsonValue &w : def.toArray())
                initial.append(w.toString());
            words->setWords(initial);
            words->lineEdit()->setPlaceholderText(tr("Words as in a shell: -la \"/my files\""));
            connect(words, &WordListEdit::changed, this, &ParamForm::edited);
            editor = words;
        } else if (f.type == u"array" || f.type == u"object") {
            auto *text = new QPlainTextEdit(this);
            text->setPlaceholderText(def.isUndefined() ? (f.type == u"array" ? u"[ ]"_s : u"{ }"_s)
                                                       : jsonText(def));
            text->setTabChangesFocus(true);
            text->setMaximumHeight(text->fontMetrics().lineSpacing() * 5 + 12);
            connect(text, &QPlainTextEdit::textChanged, this, &ParamForm::edited);
            editor = text;
        } else {
            auto *line = new QLineEdit(this);
            if (!def.isUndefined() && !def.isNull())
                line->setPlaceholderText(tr("Default: %1").arg(jsonText(def)));
            else if (!description.isEmpty())
                line->setPlaceholderText(description);
            connect(line, &QLineEdit::textChanged, this, &ParamForm::edited);
            editor = line;
            if (format == u"file" || format == u"directory" || format == u"path")
                row = pathRow(f, line);
        }
        editor->setObjectName(name);
        editor->setAccessibleName(f.label);
        if (!description.isEmpty()) {
            editor->setToolTip(description);
            editor->setAccessibleDescription(description);
        }
        f.editor = editor;
        f.message = new QLabel(this);
        f.message->setObjectName(name + u"-message"_s);
        f.message->setWordWrap(true);
        f.message->setVisible(false);
        f.message->setAccessibleName(tr("%1 message").arg(f.label));
        auto *cell = new QWidget(this);
        auto *cv = new QVBoxLayout(cell);
        cv->setContentsMargins(0, 0, 0, 0);
        cv->setSpacing(2);
        if (row)
            row->setParent(cell);
        editor->setParent(row ? row : cell);
        f.message->setParent(cell);
        cv->addWidget(row ? row : editor);
        cv->addWidget(f.message);
        const bool isRequired = required.contains(QJsonValue(name));
        auto *label
            = new QLabel(isRequired ? tr("%1 *:").arg(f.label) : tr("%1:").arg(f.label), this);
        label->setBuddy(editor);
        m_form->addRow(label, cell);
        m_fields.append(f);
    }
    // Rebuilt while shown: the new rows appear now.
    for (QWidget *w : findChildren<QWidget *>(Qt::FindDirectChildrenOnly))
        w->show();
}

QWidget *ParamForm::pathRow(Field &f, QWidget *line)
{
    // Reading needs what exists (Open dialogs); writing may name something new (Save). A
    // "path" may be either a file or a folder, so it gets both pickers.
    const QString format = f.prop.value(u"format"_s).toString();
    const bool reads = f.prop.value(u"x-access"_s).toString() == u"read";
    auto *row = new QWidget(this);
    auto *h = new QHBoxLayout(row);
    h->setContentsMargins(0, 0, 0, 0);
    line->setParent(row);
    h->addWidget(line, 1);
    auto *edit = static_cast<QLineEdit *>(line);
    const auto addPicker = [&](const QString &text, const QString &suffix, const QString &kind,
                               const QString &accessible) {
        auto *b = new QPushButton(text, row);
        b->setObjectName(f.name + suffix);
        b->setAccessibleName(accessible);
        connect(b, &QPushButton::clicked, edit, [this, edit, kind] {
            const QString path = pickPath(kind, edit->text());
            if (!path.isEmpty())
                edit->setText(path);
        });
        h->addWidget(b);
    };
    if (format != u"directory")
        addPicker(tr("File…"), u"-file"_s, reads ? u"open-file"_s : u"save-file"_s,
                  tr("Choose a file for %1").arg(f.label));
    if (format != u"file")
        addPicker(tr("Folder…"), u"-folder"_s, u"open-folder"_s,
                  tr("Choose a folder for %1").arg(f.label));
    return row;
}

QString ParamForm::pickPath(const QString &kind, const QString &current)
{
    if (m_picker)
        return m_picker(kind, current);
    if (kind == u"open-folder")
        return QFileDialog::getExistingDirectory(this, tr("Choose a folder"), current);
    if (kind == u"open-file")
        return QFileDialog::getOpenFileName(this, tr("Choose a file"), current);
    return QFileDialog::getSaveFileName(this, tr("Choose where to write"), current, {}, nullptr,
                                        QFileDialog::DontConfirmOverwrite);
}

void ParamForm::setPathPicker(PathPicker picker)
{
    m_picker = std::move(picker);
}

QStringList ParamForm::fieldNames() const
{
    QStringList names;
    for (const Field &f : m_fields)
        names.append(f.name);
    return names;
}

QWidget *ParamForm::fieldWidget(const QString &name) const
{
    for (const Field &f : m_fields) {
        if (f.name == name)
            return f.editor;
    }
    return nullptr;
}

QString ParamForm::fieldLabel(const QString &name) const
{
    for (const Field &f : m_fields) {
        if (f.name == name)
            return f.label;
    }
    return humanize(name);
}

bool ParamForm::setFieldText(const QString &name, const QString &text)
{
    for (const Field &f : std::as_const(m_fields)) {
        if (f.name != name)
            continue;
        if (auto *line = qobject_cast<QLineEdit *>(f.editor))
            line->setText(text);
        else if (auto *words = qobject_cast<WordListEdit *>(f.editor))
            words->setText(text);
        else if (auto *steps = qobject_cast<StepListEditor *>(f.editor))
            steps->setSteps(QJsonDocument::fromJson(text.toUtf8()).array());
        else if (auto *plain = qobject_cast<QPlainTextEdit *>(f.editor))
            plain->setPlainText(text);
        else if (auto *box = qobject_cast<QCheckBox *>(f.editor))
            box->setChecked(text == u"true");
        else if (auto *combo = qobject_cast<QComboBox *>(f.editor))
            combo->setCurrentIndex(std::max(0, combo->findText(text)));
        return true;
    }
    return false;
}

void ParamForm::setParams(const QJsonObject &params)
{
    for (auto it = params.constBegin(); it != params.constEnd(); ++it) {
        const QJsonValue v = it.value();
        if (auto *steps = qobject_cast<StepListEditor *>(fieldWidget(it.key()))) {
            steps->setSteps(v.toArray());
        } else if (auto *words = qobject_cast<WordListEdit *>(fieldWidget(it.key()))) {
            QStringList list;
            for (const QJsonValue &w : v.toArray())
                list.append(w.toString());
            words->setWords(list);
        } else if (v.isBool()) {
            setFieldText(it.key(), v.toBool() ? u"true"_s : u"false"_s);
        } else {
            setFieldText(it.key(), jsonText(v));
        }
    }
}

QString ParamForm::fieldMessage(const QString &name) const
{
    for (const Field &f : m_fields) {
        if (f.name == name)
            return f.message->isHidden() ? QString() : f.message->text();
    }
    return {};
}

QJsonObject ParamForm::collect(QList<FieldError> *errors) const
{
    QJsonObject params;
    for (const Field &f : m_fields) {
        if (auto *box = qobject_cast<QCheckBox *>(f.editor)) {
            params.insert(f.name, box->isChecked());
        } else if (auto *combo = qobject_cast<QComboBox *>(f.editor)) {
            const QVariant v = combo->currentData();
            if (v.isValid())
                params.insert(f.name, QJsonValue::fromVariant(v));
        } else if (auto *steps = qobject_cast<StepListEditor *>(f.editor)) {
            QList<FieldError> stepErrors;
            params.insert(f.name, steps->steps(&stepErrors));
            for (FieldError &e : stepErrors) {
                e.field.prepend(f.name);
                if (errors)
                    errors->append(e);
            }
        } else if (auto *words = qobject_cast<WordListEdit *>(f.editor)) {
            if (!words->text().trimmed().isEmpty())
                params.insert(f.name, QJsonArray::fromStringList(words->words()));
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
                    errors->append({ f.name, tr("Not valid JSON: %1.").arg(pe.errorString()) });
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

void ParamForm::clearMessages()
{
    for (Field &f : m_fields) {
        f.message->clear();
        f.message->setVisible(false);
        f.error = false;
        if (auto *steps = qobject_cast<StepListEditor *>(f.editor))
            steps->clearMessages();
    }
}

QList<FieldError> ParamForm::showErrors(const QList<FieldError> &errors)
{
    return place(errors, true);
}

QList<FieldError> ParamForm::showWarnings(const QList<FieldError> &warnings)
{
    return place(warnings, false);
}

QList<FieldError> ParamForm::place(const QList<FieldError> &messages, bool error)
{
    QList<FieldError> unplaced;
    for (const FieldError &e : messages) {
        // "steps[1].params.path" belongs to the "steps" field, which places the rest itself.
        const qsizetype cut = e.field.indexOf(QRegularExpression(u"[.\\[]"_s));
        const QString top = cut < 0 ? e.field : e.field.left(cut);
        Field *field = nullptr;
        for (Field &f : m_fields) {
            if (f.name == top)
                field = &f;
        }
        if (!field) {
            unplaced.append(e);
            continue;
        }
        QString text = e.message;
        if (cut >= 0) {
            const QString rest = e.field.mid(cut);
            if (auto *steps = qobject_cast<StepListEditor *>(field->editor)) {
                const QList<FieldError> left = steps->showMessages({ { rest, e.message } }, error);
                if (left.isEmpty())
                    continue;
            }
            text = rest.mid(rest.startsWith(u'.') ? 1 : 0) + u": "_s + e.message;
        }
        if (field->error && !error)
            continue; // an error says more than a warning
        if (error && !field->error)
            field->message->clear();
        field->error = error;
        const QString prefix = error ? QString() : tr("Warning: ");
        const QString line = prefix + text;
        field->message->setText(
            field->message->text().isEmpty() ? line : field->message->text() + u'\n' + line);
        QPalette pal = field->message->palette();
        pal.setColor(QPalette::WindowText, messageColor(pal, error));
        field->message->setPalette(pal);
        field->message->setVisible(true);
    }
    return unplaced;
}

QWidget *ParamForm::firstFlagged() const
{
    for (const Field &f : m_fields) {
        if (f.error)
            return f.editor;
        if (auto *steps = qobject_cast<StepListEditor *>(f.editor)) {
            if (QWidget *w = steps->firstFlagged())
                return w;
        }
    }
    return nullptr;
}

QList<QWidget *> ParamForm::focusOrder() const
{
    QList<QWidget *> order;
    for (const Field &f : m_fields) {
        if (auto *steps = qobject_cast<StepListEditor *>(f.editor)) {
            order.append(steps->focusOrder());
            continue;
        }
        // The field, then its pickers: all live in the field's row, in creation order.
        QWidget *row = f.editor->parentWidget();
        for (QWidget *w : row->findChildren<QWidget *>()) {
            if (w->focusPolicy() & Qt::TabFocus)
                order.append(w);
        }
        if (f.editor->focusPolicy() & Qt::TabFocus && !order.contains(f.editor))
            order.append(f.editor);
    }
    return order;
}
