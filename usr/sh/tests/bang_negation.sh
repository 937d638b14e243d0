! false && echo neg-ok
if ! grep -q zzz /dev/null; then echo no-match; fi
! echo x | grep -q y
echo $?
