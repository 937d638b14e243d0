echo $ "$" a$ $%
echo ${x:-$}
