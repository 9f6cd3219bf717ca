// The unit tests check the English texts of messages (the source language);
// tests of the Vietnamese texts choose it with LanguageScope.
#define DOCTEST_CONFIG_IMPLEMENT
#include <doctest/doctest.h>

#include "core/i18n.hpp"

int main(int argc, char** argv) {
    vanban::set_language(vanban::Lang::en);
    doctest::Context context(argc, argv);
    return context.run();
}
