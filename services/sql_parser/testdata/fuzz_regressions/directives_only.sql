GO
GO
:setvar
$(
$()
