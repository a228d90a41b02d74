#include "externaltaskdriver.h"

ExternalTaskDriver::~ExternalTaskDriver() = default;
