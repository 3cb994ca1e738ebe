# Warnings for our own targets. GCC 12 is kept at zero warnings; ROOTLESSKIT_WERROR=ON (what
# scripts/test.sh, and so CI, builds with) makes any new one fail the build.
function(rootlesskit_warnings target)
  target_compile_options(${target} PRIVATE
    -Wall -Wextra -Wpedantic -Wshadow -Wno-missing-field-initializers
    $<$<BOOL:${ROOTLESSKIT_WERROR}>:-Werror>)
endfunction()
