printf '%s-%s\n' a b c d
printf '%d %i %x %o %X\n' 42 -3 255 8 255
printf '%5s|%-5s|\n' ab cd
printf '%03d\n' 7
printf '%c%c\n' hello world
printf 'no newline'
printf '\n%%literal\n'
printf '%s\n'
printf '%b\n' 'a\tb'
