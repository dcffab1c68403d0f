# One place for compiler warnings; xref_warnings(target) applies them.
function(xref_warnings target)
  target_compile_options(${target} PRIVATE
    -Wall -Wextra -Wpedantic -Wshadow -Wstrict-prototypes
    -Wmissing-prototypes -Wwrite-strings -Wformat=2 -Wvla)
  if(XREF_WERROR)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
endfunction()
