# a comment
echo a # trailing comment
echo b#not-comment
echo long \
  line \
  continued
x=1; y=2; echo $x$y;
echo ';' '#'
