#include "newtaskdialog.h"

#include "app/core/taskengine.h"
#include "app/core/tasktyperegistry.h"
#include "steplisteditor.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QTimer>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

NewTaskDialog::NewTaskDialog(TaskEngine &engine, QWidget *parent)
    : QDialog(parent), m_engine(engine), m_params(new ParamForm(engine.registry(), this)),
      m_checkTimer(new QTimer(this))
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
    v->addWidget(m_params);
    // Spare height goes below the form, never between its rows (no gaps after a type switch).
    v->addStretch(1);
    m_general = new QLabel(this);
    m_general->setObjectName(u"generalMessage"_s);
    m_general->setWordWrap(true);
    m_general->setVisible(false);
    v->addWidget(m_general);
    m_buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    setStartText(false);
    connect(m_buttons, &QDialogButtonBox::accepted, this, &NewTaskDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &NewTaskDialog::reject);
    v->addWidget(m_buttons);

    // Warnings come a moment after typing stops, not on every key.
    m_checkTimer->setSingleShot(true);
    m_checkTimer->setInterval(300);
    connect(m_checkTimer, &QTimer::timeout, this, &NewTaskDialog::checkWarnings);
    connect(m_params, &ParamForm::edited, m_checkTimer, qOverload<>(&QTimer::start));
    connect(m_params, &ParamForm::rebuilt, this, [this] {
        updateTabOrder();
        fitHeight(false);
    });
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

void NewTaskDialog::setStartText(bool anyway)
{
    m_buttons->button(QDialogButtonBox::Ok)->setText(anyway ? tr("Start &anyway") : tr("&Start"));
}

void NewTaskDialog::buildForm()
{
    m_errors.clear();
    m_warned = false;
    setStartText(false);
    m_general->clear();
    m_general->setVisible(false);
    const TaskType *type = m_engine.registry().find(this->type());
    m_description->setText(type ? type->description : QString());
    m_description->setVisible(type && !type->description.isEmpty());
    m_params->setSchema(type ? type->schema : QJsonObject());
    updateTabOrder();
    // Step forms sit inside the form: give their fields room to show a path.
    const int wide
        = fontMetrics().averageCharWidth() * (m_params->findChild<StepListEditor *>() ? 100 : 70);
    if (width() < wide)
        resize(wide, height());
    // Fit the new type's fields: shrink as well as grow, so a short form has no gaps.
    fitHeight(true);
}

void NewTaskDialog::fitHeight(bool shrink)
{
    // Wrapped messages need the height they take at this width, which a top-level window's
    // minimum size does not follow by itself: rows would be squeezed on top of each other.
    layout()->activate();
    const int wanted = layout()->hasHeightForWidth() ? layout()->totalHeightForWidth(width())
                                                     : sizeHint().height();
    if (wanted > height() || (shrink && wanted < height()))
        resize(width(), wanted);
}

void NewTaskDialog::updateTabOrder()
{
    // Tab goes down the form as it reads: type, title, the fields, then Start and Cancel (the
    // fields are made after the buttons, so the default order would put the buttons first).
    QWidget *previous = m_title;
    setTabOrder(m_types, m_title);
    for (QWidget *w : m_params->focusOrder()) {
        setTabOrder(previous, w);
        previous = w;
    }
    for (QAbstractButton *b : m_buttons->buttons()) {
        setTabOrder(previous, b);
        previous = b;
    }
}

bool NewTaskDialog::setFieldText(const QString &name, const QString &text)
{
    if (m_params->setFieldText(name, text))
        return true;
    if (name == u"title") {
        m_title->setText(text);
        return true;
    }
    return false;
}

QWidget *NewTaskDialog::fieldWidget(const QString &name) const
{
    return m_params->fieldWidget(name);
}

QStringList NewTaskDialog::fieldNames() const
{
    return m_params->fieldNames();
}

QString NewTaskDialog::fieldError(const QString &name) const
{
    if (name.isEmpty())
        return m_general->isHidden() ? QString() : m_general->text();
    return m_params->fieldMessage(name);
}

QJsonObject NewTaskDialog::collectParams(QList<FieldError> *errors) const
{
    return m_params->collect(errors);
}

void NewTaskDialog::showMessages(const QList<FieldError> &errors, const QList<FieldError> &warnings)
{
    m_params->clearMessages();
    const auto relative = [](QList<FieldError> list) {
        for (FieldError &e : list) {
            if (e.field.startsWith(u"params."_s))
                e.field = e.field.mid(7);
            else
                e.field.prepend(u'\x01'); // not a param: never placed in the form
        }
        return list;
    };
    QStringList general;
    const auto unplaced = [&general](const QList<FieldError> &left, const QString &prefix) {
        for (FieldError e : left) {
            if (e.field.startsWith(u'\x01'))
                e.field.remove(0, 1);
            else
                e.field.prepend(u"params."_s);
            const QString where = e.field.isEmpty() ? QString() : e.field + u": "_s;
            general.append(prefix + where + e.message);
        }
    };
    unplaced(m_params->showErrors(relative(errors)), QString());
    unplaced(m_params->showWarnings(relative(warnings)), tr("Warning: "));
    m_general->setText(general.join(u'\n'));
    m_general->setVisible(!general.isEmpty());
    QPalette pal = m_general->palette();
    pal.setColor(QPalette::WindowText, ParamForm::messageColor(pal, !errors.isEmpty()));
    m_general->setPalette(pal);
    fitHeight(false);
}

void NewTaskDialog::checkWarnings()
{
    const QJsonObject params = m_params->collect();
    const QList<FieldError> warnings = m_engine.registry().warnings(type(), params);
    showMessages(m_errors, warnings);
    // "Start anyway" only stands for the params it was shown for.
    const bool same = m_warned && params == m_warnedParams && !warnings.isEmpty();
    setStartText(same);
    if (!same)
        m_warned = false;
}

bool NewTaskDialog::submit()
{
    m_checkTimer->stop();
    // Every problem at once: what the form itself cannot read (bad JSON), then the registry's
    // verdict on the rest, minus what the form's problems already explain.
    QList<FieldError> errors;
    const QJsonObject params = collectParams(&errors);
    QStringList local;
    for (FieldError &e : errors) {
        local.append(e.field);
        e.field.prepend(u"params."_s);
    }
    const Result<QJsonObject> checked = m_engine.registry().validate(type(), params);
    if (!checked) {
        for (const FieldError &e : checked.error().fields) {
            if (!local.contains(e.field.mid(7)))
                errors.append(e);
        }
        if (checked.error().fields.isEmpty())
            errors.append({ QString(), checked.error().message });
    }
    const QList<FieldError> warnings = m_engine.registry().warnings(type(), params);
    m_errors = errors;
    if (!errors.isEmpty() || (!warnings.isEmpty() && !(m_warned && params == m_warnedParams))) {
        showMessages(errors, warnings);
        m_warned = errors.isEmpty();
        m_warnedParams = params;
        setStartText(m_warned);
        if (QWidget *first = m_params->firstFlagged())
            first->setFocus();
        return false;
    }
    TaskSpec spec;
    spec.type = type();
    spec.title = m_title->text().trimmed();
    spec.params = params;
    const Result<TaskSnapshot> submitted = m_engine.submit(spec);
    if (!submitted) {
        QList<FieldError> refused = submitted.error().fields;
        if (refused.isEmpty())
            refused.append({ QString(), submitted.error().message });
        m_errors = refused;
        showMessages(refused, {});
        return false;
    }
    m_errors.clear();
    m_warned = false;
    setStartText(false);
    showMessages({}, {});
    m_submittedId = submitted->id;
    return true;
}

void NewTaskDialog::showEvent(QShowEvent *event)
{
    QDialog::showEvent(event);
    fitHeight(false); // sizes are only right once the widgets are polished for the screen
}

void NewTaskDialog::accept()
{
    if (submit())
        QDialog::accept();
}
