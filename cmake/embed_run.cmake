# Script mode helper for xref_embed: writes IN as a byte array to OUT.
# Bytes are written as (char)0xNN so that values above 0x7f stay valid
# initialisers for a plain char array under -Werror.
get_filename_component(name "${IN}" NAME)
file(READ "${IN}" hex HEX)
string(LENGTH "${hex}" hexlen)
math(EXPR n "${hexlen} / 2")
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "(char)0x\\1," bytes "${hex}")
string(REGEX REPLACE "((\\(char\\)0x..,){12})" "\\1\n" bytes "${bytes}")
file(WRITE "${OUT}" "/* generated from ${name}; do not edit */\n#include <stddef.h>\nextern const char ${SYM}[];\nextern const size_t ${SYM}_len;\nconst char ${SYM}[] = {\n${bytes}(char)0x00};\nconst size_t ${SYM}_len = ${n};\n")
