#pragma once

#include "app/core/engineerror.h"

#include <QDialog>
#include <QHash>
#include <QJsonObject>
#include <QList>

#include <functional>

class QComboBox;
class QDialogButtonBox;
class QFormLayout;
class QLabel;
class QLineEdit;
class QSpinBox;
class QWidget;
class TaskEngine;

// "New task…": pick a type; a form generated from the type's parameter schema (file and folder
// pickers for paths, JSON text for lists and objects) is validated by the registry before the
// task is submitted, with each message shown next to its field.
class NewTaskDialog final : public QDialog
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(NewTaskDialog)

public:
    explicit NewTaskDialog(TaskEngine &engine, QWidget *parent = nullptr);

    // Selects a type by name; false if unknown.
    bool setType(const QString &type);
    QString type() const;
    // Sets a field's text (line edits, JSON fields, combos by value, check boxes "true"/"false").
    bool setFieldText(const QString &name, const QString &text);
    QWidget *fieldWidget(const QString &name) const;
    // The error shown next to a field ("" = none); name "" = the dialog's general message.
    QString fieldError(const QString &name) const;
    QStringList fieldNames() const;

    // The params as the form states them (empty fields left out); local errors (bad JSON) out.
    QJsonObject collectParams(QList<FieldError> *errors = nullptr) const;

    // Validates and submits; on success stores the id and accepts.
    bool submit();
    QString submittedId() const { return m_submittedId; }

    // Replaces the file dialogs (tests): (format, current) -> chosen path or "" if canceled.
    void setPathPicker(std::function<QString(const QString &format, const QString &current)> picker)
    {
        m_picker = std::move(picker);
    }

    void accept() override;

private:
    struct Field
    {
        QString name;
        QString type; // schema type
        QString format; // file/directory/path
        QWidget *editor = nullptr;
        QLabel *error = nullptr;
    };
    void buildForm();
    void showErrors(const QList<FieldError> &errors);
    void clearErrors();
    QString pickPath(const QString &format, const QString &current);

    TaskEngine &m_engine;
    QComboBox *m_types;
    QLabel *m_description;
    QLineEdit *m_title;
    QWidget *m_formHost;
    QDialogButtonBox *m_buttons;
    QFormLayout *m_form = nullptr;
    QList<Field> m_fields;
    QLabel *m_general;
    QString m_submittedId;
    std::function<QString(const QString &, const QString &)> m_picker;
};
