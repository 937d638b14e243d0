echo hello world
echo -n no-newline
echo
echo "a  b"   c
echo 'tab\there'
echo "line1\nline2"
echo stop\\c never
echo -- -n
