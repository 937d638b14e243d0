$SH -c 'set -u; echo "${undef-default}"; echo $undef; echo never'
echo status $?
$SH -c 'set -u; x=1; echo $x; set +u; echo "[$undef]"'
