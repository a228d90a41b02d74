#pragma once

#include "app/core/engineerror.h"

#include <QJsonObject>
#include <QList>
#include <QWidget>

#include <functional>

class QFormLayout;
class QLabel;
class TaskTypeRegistry;

// One task type's parameters as a form, built from its schema: typed fields, File…/Folder…
// pickers for paths (Open dialogs for what the task reads, Save for what it writes), word lists
// for lists of strings, a step editor for pipeline steps, JSON text for anything else. Shows
// errors and warnings next to their fields by path ("path", "steps[1].params.source").
// Used by the New task dialog and, once per step, by the step editor.
class ParamForm final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ParamForm)

public:
    // kind: "open-file", "open-folder" or "save-file"; returns "" when canceled.
    using PathPicker = std::function<QString(const QString &kind, const QString &current)>;

    ParamForm(const TaskTypeRegistry &registry, QWidget *parent = nullptr);

    void setSchema(const QJsonObject &schema);
    QStringList fieldNames() const;
    QWidget *fieldWidget(const QString &name) const;
    QString fieldLabel(const QString &name) const;
    // Line edits, word lists and JSON fields take text, combos a value, check boxes
    // "true"/"false", the step editor a JSON list of steps.
    bool setFieldText(const QString &name, const QString &text);
    // Fills the fields from params as the API states them (lists of steps included).
    void setParams(const QJsonObject &params);
    // The error (or, when none, the warning) shown next to a field; "" = none.
    QString fieldMessage(const QString &name) const;

    // The params as the form states them (empty fields left out). Problems found here (text
    // that is not JSON) come back in errors, named like the registry's ("tags", "steps[0].…");
    // their fields are left out.
    QJsonObject collect(QList<FieldError> *errors = nullptr) const;
    // Shows each message next to its field (names relative to params); returns those that
    // belong to no field. Warnings look different and never hide an error.
    QList<FieldError> showErrors(const QList<FieldError> &errors);
    QList<FieldError> showWarnings(const QList<FieldError> &warnings);
    void clearMessages();
    QWidget *firstFlagged() const;
    // The widgets Tab should visit, top to bottom as the form reads (steps in their order).
    QList<QWidget *> focusOrder() const;

    void setPathPicker(PathPicker picker);
    // The colour of an error (or a warning) on this palette, readable in light and dark.
    static QColor messageColor(const QPalette &palette, bool error);

Q_SIGNALS:
    // Any edit, so a caller can look again (warnings) before the user asks to start.
    void edited();
    // Fields came or went (a step added): tab order and size may need a look.
    void rebuilt();

private:
    struct Field
    {
        QString name;
        QString label;
        QString type; // schema type
        QJsonObject prop;
        QWidget *editor = nullptr;
        QLabel *message = nullptr;
        bool error = false;
    };
    QWidget *pathRow(Field &f, QWidget *line);
    QList<FieldError> place(const QList<FieldError> &messages, bool error);
    QString pickPath(const QString &kind, const QString &current);

    const TaskTypeRegistry &m_registry;
    QFormLayout *m_form;
    QList<Field> m_fields;
    PathPicker m_picker;
};
