

echo "after blank lines"
x=
$x
echo "empty command status $?"
$(true)
echo $?
`false`
echo $?
